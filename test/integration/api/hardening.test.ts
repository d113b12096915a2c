import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeCall } from '../../../src/api/xmlrpc/encode.js';
import { fixture, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { rawPost, rpcValue } from '../../helpers/xmlrpc.js';

// What a hostile or broken client cannot do to the daemon: expand entities, nest without end,
// send huge or undecodable bodies, hold a connection open by dribbling headers, or starve the
// supervision of children by sheer numbers. After each, the daemon still answers.

const config = `
[program:web]
command = ${fixture('forever.sh')}
startsecs = 0

[program:crash]
command = ${fixture('sleep-then-exit.sh')} 0.1 1
startsecs = 0
autorestart = true
startretries = 1000
`;

const laughs = (): string => {
  const entities = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++)
    entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]><methodCall><methodName>&lol9;</methodName></methodCall>`;
};

const alive = async (d: Daemon): Promise<void> => {
  assert.equal(await rpcValue({ socketPath: d.socket }, 'supervisor.getAPIVersion'), '3.0');
};

/** Writes raw bytes on a new connection and collects what comes back until the server closes. */
const rawExchange = (
  socketPath: string,
  chunks: readonly string[],
  gapMs = 0,
): Promise<{ text: string; ms: number }> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(socketPath);
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', () => {
      resolve({ text, ms: Date.now() - started });
    });
    // A server that cuts off a client while it still writes may reset the connection: that is a
    // close too (the 'close' event follows), not a failure of the exchange.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    void (async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs > 0) await sleep(gapMs);
      }
    })();
  });

const spawns = (d: Daemon): number => (d.output.match(/spawned: 'crash'/g) ?? []).length;

describe('hardening of the control socket', () => {
  it('refuses entity expansion, deep nesting, oversized and undecodable bodies, and keeps serving', async () => {
    const d = await startDaemon(config);
    const target = { socketPath: d.socket };
    assert.equal((await rawPost(target, laughs())).status, 400);
    const deep = `<methodCall><methodName>x</methodName><params><param>${'<value><array><data>'.repeat(20_000)}</param></params></methodCall>`;
    assert.equal((await rawPost(target, deep)).status, 400);
    // Refused from its Content-Length, before it is read: the client sees the 413, or (when the
    // server's close overtakes the rest of the upload) a reset; either way nothing was buffered.
    const big = await rawPost(target, Buffer.alloc(2 * 1024 * 1024, 0x20)).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!['EPIPE', 'ECONNRESET'].includes(code)) throw error;
      return { status: 413 };
    });
    assert.equal(big.status, 413);
    const badUtf8 = Buffer.concat([
      Buffer.from('<methodCall><methodName>supervisor.'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('</methodName></methodCall>'),
    ]);
    assert.equal((await rawPost(target, badUtf8)).status, 400);
    assert.equal(
      (await rawPost(target, '{"json": true}', { 'content-type': 'application/json' })).status,
      400,
    );
    const json = await rawPost(target, '{', { 'content-type': 'application/json' }, '/api/v1/config/update');
    assert.equal(json.status, 400);
    await alive(d);
  });

  it("accepts supervisorctl's tail request: empty Host header and a stray CRLF after the headers", async () => {
    const d = await startDaemon(config);
    await d.waitForState('web', 'RUNNING');
    const request =
      'GET /logtail/web/stdout HTTP/1.1\r\nHost: \r\nAccept-Encoding: chunked\r\nAccept: */*\r\nUser-agent: Supervisor HTTP Client\r\n\r\n\r\n';
    const socket = connect(d.socket);
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    socket.write(request);
    const deadline = Date.now() + 20_000;
    while (!text.includes('forever pid') && Date.now() < deadline) await sleep(50);
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /transfer-encoding: chunked/i);
    assert.match(text, /x-accel-buffering: no/i);
    assert.match(text, /forever pid \d+/);
    await alive(d);
  });

  it('cuts off a client that dribbles its headers, and serves others meanwhile', async () => {
    const d = await startDaemon(config);
    const dribble = 'POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nX-Slow: '
      .split('')
      .concat(Array(200).fill('a'));
    const slow = rawExchange(d.socket, dribble, 200);
    await sleep(1000);
    await alive(d);
    const { text, ms } = await slow;
    assert.ok(ms < 30_000, `closed after ${ms} ms`);
    assert.match(text, /^HTTP\/1\.1 408|^$/, 'a 408 or a plain close');
  });

  it('200 concurrent clients do not stall the supervision of a crash-looping child', async () => {
    const d = await startDaemon(config);
    await d.waitForOutput(/spawned: 'crash'/);
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const body = encodeCall('supervisor.getAllProcessInfo', []);
    const call = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            socketPath: d.socket,
            path: '/RPC2',
            method: 'POST',
            agent,
            headers: { 'content-type': 'text/xml' },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              resolve(res.statusCode ?? 0);
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const before = spawns(d);
    // At least 3 s of load, and on until the crashing child has been restarted 3 times: a daemon
    // starved by its API never gets there, a slow shared machine only takes longer (up to 60 s).
    const start = Date.now();
    const busy = (): boolean =>
      Date.now() - start < 3000 || (spawns(d) - before < 3 && Date.now() - start < 60_000);
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (busy()) statuses.push(await call());
      }),
    );
    const during = spawns(d) - before;
    if (process.env.TEND_SHOW_TRANSCRIPT !== undefined)
      console.log(`${statuses.length} calls, ${during} restarts`);
    agent.destroy();
    assert.ok(statuses.length >= 200, `${statuses.length} calls answered`);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.ok(during >= 3, `the crashing child was restarted ${during} times under load`);
    await alive(d);
  });
});
