import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { fixture, header, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { SseClient, type SseEvent } from '../../helpers/sse.js';
import { freePort } from '../../helpers/supervisord.js';
import { tempDir } from '../../helpers/tmp.js';
import { rawPost, rpcValue } from '../../helpers/xmlrpc.js';

// GET /api/v1/events against a real daemon: filters, resuming with Last-Event-ID, the explicit
// gap when the history no longer has what a client missed, a client that stops reading, the
// limit on clients, and the same authentication as the rest of the API.

const config = `
[program:web]
command = ${fixture('forever.sh')}
startsecs = 0

[program:crash]
command = ${fixture('exit-with.sh')} 3
startsecs = 0
autorestart = false

[group:pair]
programs = one,two

[program:one]
command = ${fixture('forever.sh')}
startsecs = 0

[program:two]
command = ${fixture('forever.sh')}
startsecs = 0
`;

interface Json {
  readonly type: string;
  readonly serial: number;
  readonly group?: string;
  readonly name?: string;
  readonly to?: string;
}

const sse = (d: Daemon, path: string, headers: Record<string, string> = {}): Promise<SseClient> =>
  SseClient.open({ socketPath: d.socket }, path, headers);

const remote = (d: Daemon, type: string, data: string): Promise<unknown> =>
  rpcValue({ socketPath: d.socket }, 'supervisor.sendRemoteCommEvent', type, data);

const remotes = (events: readonly SseEvent[]): string[] =>
  events
    .filter((e) => e.event === 'REMOTE_COMMUNICATION')
    .map((e) => (JSON.parse(e.data) as { data: string }).data);

/** Many REMOTE_COMMUNICATION events in one request (system.multicall). */
const manyRemotes = async (d: Daemon, count: number): Promise<void> => {
  const call = (i: number): string =>
    `<value><struct><member><name>methodName</name><value>supervisor.sendRemoteCommEvent</value></member>` +
    `<member><name>params</name><value><array><data><value>bulk</value><value>${i}</value></data></array></value></member></struct></value>`;
  const body = `<methodCall><methodName>system.multicall</methodName><params><param><value><array><data>${Array.from(
    { length: count },
    (_, i) => call(i),
  ).join('')}</data></array></value></param></params></methodCall>`;
  const res = await rawPost({ socketPath: d.socket }, body);
  assert.equal(res.status, 200);
};

describe('GET /api/v1/events', () => {
  it('sends the history and live events as SSE, filtered by parent types and names', async () => {
    const d = await startDaemon(config);
    await d.waitForState('crash', 'EXITED');
    await d.waitForState('two', 'RUNNING');
    const all = await sse(d, '/api/v1/events?history=1000&follow=false');
    await all.waitForEnd();
    assert.equal(all.status, 200);
    const types = all.json<Json>().map((e) => e.type);
    assert.ok(
      types.includes('PROCESS_GROUP_ADDED') && types.includes('SUPERVISOR_STATE_CHANGE_RUNNING'),
      types.join(),
    );
    assert.ok(types.includes('PROCESS_READY'), "tend's own events are in the default types");
    for (const e of all.events) assert.match(e.id ?? '', /^[0-9a-f]{8}-\d+$/);

    const states = await sse(
      d,
      '/api/v1/events?history=1000&follow=false&types=process_state&names=crash,pair:two',
    );
    await states.waitForEnd();
    const seen = states.json<Json>().map((e) => `${e.group ?? ''}:${e.name ?? ''} ${e.type}`);
    // Each process's own order; the two run side by side.
    assert.deepEqual(
      seen.filter((s) => s.startsWith('crash:crash')),
      [
        'crash:crash PROCESS_STATE_STARTING',
        'crash:crash PROCESS_STATE_RUNNING',
        'crash:crash PROCESS_STATE_EXITED',
      ],
    );
    assert.deepEqual(
      seen.filter((s) => s.startsWith('pair:two')),
      ['pair:two PROCESS_STATE_STARTING', 'pair:two PROCESS_STATE_RUNNING'],
    );
    assert.equal(seen.length, 5, seen.join('\n'));

    const live = await sse(d, '/api/v1/events?types=PROCESS_STATE_STOPPED,REMOTE_COMMUNICATION&names=web');
    assert.equal((await d.api('POST', '/api/v1/processes/web/stop')).status, 200);
    await remote(d, 'x', 'not about web');
    await live.waitFor('web STOPPED', (events) => events.some((e) => e.event === 'PROCESS_STATE_STOPPED'));
    live.close();
    assert.deepEqual(
      live.events.map((e) => e.event),
      ['PROCESS_STATE_STOPPED'],
    );
  });

  it('refuses bad filters and Last-Event-IDs with clear errors', async () => {
    const d = await startDaemon(config);
    const bad = [
      ['/api/v1/events?types=PROCESS_STATE_DONE', 400, 'unknown event type PROCESS_STATE_DONE'],
      ['/api/v1/events?names=nosuch', 404, 'no such process or group: nosuch'],
      ['/api/v1/events?names=pair:nine', 404, 'nine'],
      ['/api/v1/events?history=-1', 400, 'history'],
      ['/api/v1/events?colour=red', 400, 'querystring'],
      [`/api/v1/events?types=${'EVENT,'.repeat(2000)}`, 400, 'querystring'],
    ] as const;
    for (const [path, status, message] of bad) {
      const res = await d.api<{ error: { message: string } }>('GET', path);
      assert.equal(res.status, status, path);
      assert.ok(res.body.error.message.includes(message), `${path}: ${res.text}`);
    }
    const id = await sse(d, '/api/v1/events', { 'last-event-id': 'yesterday' });
    assert.equal(id.status, 400);
    id.close();
  });

  it('resumes after Last-Event-ID with exactly what the client missed', async () => {
    const d = await startDaemon(config);
    const first = await sse(d, '/api/v1/events?types=REMOTE_COMMUNICATION');
    await remote(d, 't', 'one');
    await remote(d, 't', 'two');
    await first.waitFor('two events', (events) => events.length === 2);
    first.close();
    const lastId = first.events[1]?.id ?? '';
    await remote(d, 't', 'three');
    await remote(d, 't', 'four');
    const again = await sse(d, '/api/v1/events?types=REMOTE_COMMUNICATION', { 'last-event-id': lastId });
    await remote(d, 't', 'five');
    await again.waitFor('three more', (events) => remotes(events).length === 3);
    again.close();
    assert.deepEqual(remotes(again.events), ['three', 'four', 'five']);
    assert.ok(!again.events.some((e) => e.event === 'STREAM_GAP'));
  });

  it('announces a gap when the history no longer has what a client missed, or the daemon restarted', async () => {
    const d = await startDaemon(config);
    const first = await sse(d, '/api/v1/events?types=REMOTE_COMMUNICATION');
    await remote(d, 't', 'before');
    await first.waitFor('one event', (events) => events.length === 1);
    first.close();
    const lastId = first.events[0]?.id ?? '';
    // More than the history keeps (4096 events), in requests under the 1 MiB body limit.
    for (let i = 0; i < 5; i++) await manyRemotes(d, 1000);
    const again = await sse(d, '/api/v1/events?types=REMOTE_COMMUNICATION', { 'last-event-id': lastId });
    await again.waitFor('the gap and the kept events', (events) => remotes(events).length >= 4000);
    again.close();
    const gap = again.events[0];
    assert.equal(gap?.event, 'STREAM_GAP');
    const lost = JSON.parse(gap.data) as { reason: string; from: number; to: number };
    assert.equal(lost.reason, 'history');
    const serial = Number(lastId.split('-')[1]);
    assert.equal(lost.from, serial + 1);
    const firstKept = JSON.parse(again.events[1]?.data ?? '{}') as { serial: number };
    assert.equal(lost.to, firstKept.serial - 1, 'the gap ends right before the first event kept');

    const other = await sse(d, '/api/v1/events?types=REMOTE_COMMUNICATION&follow=false', {
      'last-event-id': '00000000-12',
    });
    await other.waitForEnd();
    const restart = other.events.find((e) => e.event === 'STREAM_GAP');
    assert.equal(other.events.indexOf(restart as SseEvent), 0);
    assert.equal((JSON.parse(restart?.data ?? '{}') as { reason: string }).reason, 'restart');
  });

  it('cuts a client that stops reading instead of holding what it does not read', async () => {
    const d = await startDaemon(`
[program:spew]
command = node -e "const line = 'x'.repeat(65535) + '\\n'; setInterval(() => process.stdout.write(line), 30)"
startsecs = 0
stdout_events_enabled = true
`);
    const stalled = await new Promise<Socket>((resolve) => {
      const socket = connect(d.socket, () => {
        socket.write('GET /api/v1/events?types=PROCESS_LOG HTTP/1.1\r\nHost: localhost\r\n\r\n');
        socket.pause();
        resolve(socket);
      });
    });
    // A reader that keeps up is not cut meanwhile.
    const reader = await sse(d, '/api/v1/events?types=PROCESS_LOG_STDOUT');
    // 5 MB: far more than one client may have waiting (1 MiB), and than the socket holds.
    await reader.waitFor('5 MB of output events', (events) => events.length > 80, 60_000);
    let received = '';
    const ended = new Promise<void>((resolve) => {
      stalled.on('data', (c: Buffer) => {
        received = (received + c.toString('latin1')).slice(-300);
      });
      stalled.on('close', () => {
        resolve();
      });
      stalled.on('error', () => undefined);
    });
    stalled.resume();
    await ended;
    assert.ok(received.includes('event: STREAM_CUT'), `the last words say why: ${received.slice(-200)}`);
    assert.ok(!reader.ended, 'the reader that keeps up is still served');
    reader.close();
  });

  it('refuses more clients than its limit', async () => {
    const d = await startDaemon(config);
    const clients: SseClient[] = [];
    for (let i = 0; i < 256; i++) clients.push(await sse(d, '/api/v1/events'));
    assert.ok(clients.every((c) => c.status === 200));
    const over = await d.api<{ error: { code: string } }>('GET', '/api/v1/events');
    assert.equal(over.status, 503);
    assert.equal(over.body.error.code, 'STREAM_LIMIT');
    for (const c of clients) c.close();
    const deadline = Date.now() + 20_000;
    let later = await d.api('GET', '/api/v1/events?follow=false');
    while (later.status !== 200 && Date.now() < deadline)
      later = await d.api('GET', '/api/v1/events?follow=false');
    assert.equal(later.status, 200, 'closed streams free their slots');
  });

  it('asks for the same credentials as the rest of the API', async () => {
    const port = await freePort();
    const dir = tempDir();
    const d = await startDaemon(config, {
      dir,
      header: `${header(dir)}\n[inet_http_server]\nport = 127.0.0.1:${port}\nusername = admin\npassword = s3cret\n`,
    });
    const target = { host: '127.0.0.1', port };
    const anonymous = await SseClient.open(target, '/api/v1/events');
    assert.equal(anonymous.status, 401);
    anonymous.close();
    const wrong = await SseClient.open(target, '/api/v1/events', {
      authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}`,
    });
    assert.equal(wrong.status, 401);
    wrong.close();
    const allowed = await SseClient.open(target, '/api/v1/events?types=REMOTE_COMMUNICATION', {
      authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}`,
    });
    assert.equal(allowed.status, 200);
    await remote(d, 'auth', 'ok');
    await allowed.waitFor('the event', (events) => events.length === 1);
    allowed.close();
  });
});
