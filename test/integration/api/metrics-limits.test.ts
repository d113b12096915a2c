import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testApi } from '../../helpers/api.js';
import { groupConfig, processConfig } from '../../helpers/configs.js';
import { tempDir } from '../../helpers/tmp.js';

// A scrape is megabytes with many programs: a client that asks and never reads must not hold
// that memory, nor a scrape slot, for longer than the write deadline. Over a real unix socket
// (the kernel's buffers are what a non-reader fills), with fake children.

const get = (socketPath: string): Promise<{ status: number; length: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/metrics' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, length: body.length, text: body.toString() });
      });
    });
    req.on('error', reject);
    req.end();
  });

/** Asks for /metrics and reads nothing. */
const stall = async (socketPath: string): Promise<Socket> => {
  const socket = connect(socketPath);
  socket.pause();
  await once(socket, 'connect');
  socket.write('GET /metrics HTTP/1.1\r\nHost: tend\r\n\r\n');
  return socket;
};

/** What the stalled client gets once it reads again: every byte until the server's end. */
const drain = async (socket: Socket): Promise<number> => {
  let bytes = 0;
  socket.on('data', (c: Buffer) => (bytes += c.length));
  socket.on('error', () => undefined);
  socket.resume();
  if (!socket.destroyed) await once(socket, 'close');
  return bytes;
};

describe('GET /metrics bounds', () => {
  it('cuts a client that does not read by the write deadline, and frees its slot', async () => {
    const processes = Array.from({ length: 1000 }, (_, i) => processConfig({ name: `p${i}` }));
    const api = testApi([groupConfig('many', processes)], {
      metrics: { maxInFlight: 2, writeTimeoutMs: 8000 },
    });
    // Scrapes whose body is ready to be written (and so hold a slot until written or cut).
    let answered = 0;
    api.app.addHook('onSend', async (request, _reply, payload) => {
      if (request.url === '/metrics') answered += 1;
      return payload;
    });
    const socketPath = path.join(tempDir(), 'm.sock');
    await api.app.listen({ path: socketPath });
    after(() => api.app.close());
    const whole = await get(socketPath);
    assert.equal(whole.status, 200);
    assert.ok(whole.length > 1024 * 1024, `a scrape of 1000 programs is ${whole.length} bytes`);

    const stalled = [await stall(socketPath), await stall(socketPath)];
    const deadline = Date.now() + 60_000;
    while (answered < 3 && Date.now() < deadline) await sleep(10);
    const refused = await get(socketPath);
    assert.equal(refused.status, 503, 'two scrapes not read fill both slots');
    assert.match(refused.text, /STREAM_LIMIT/);

    let later = refused;
    while (later.status !== 200 && Date.now() < deadline) {
      await sleep(100);
      later = await get(socketPath);
    }
    assert.equal(later.status, 200, 'the deadline frees the slots');
    for (const socket of stalled) {
      const got = await drain(socket);
      assert.ok(got < whole.length, `a cut client got ${got} of ${whole.length} bytes`);
    }
  });
});
