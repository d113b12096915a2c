import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { rpcValue } from '../../helpers/xmlrpc.js';

// Event-listener pools against listeners that misbehave (a real childutils listener each, run by
// /usr/bin/python3): the daemon logs what supervisord logs, gives the event back to the pool,
// restarts a listener that broke the protocol, and never waits on any of them.

const HAS_CHILDUTILS = existsSync('/usr/lib/python3/dist-packages/supervisor/childutils.py');
const SKIP = HAS_CHILDUTILS ? false : "needs Debian's supervisor package (supervisor.childutils)";

const lines = (d: Daemon, name: string): string[] => {
  const file = path.join(d.dir, name);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
};

const waitForLines = async (d: Daemon, name: string, done: (all: string[]) => boolean): Promise<string[]> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const all = lines(d, name);
    if (done(all)) return all;
    if (Date.now() > deadline)
      throw new Error(`${name} has only:\n${all.join('\n')}\n--- daemon ---\n${d.output}`);
    await sleep(100);
  }
};

const remote = (d: Daemon, type: string, data: string): Promise<unknown> =>
  rpcValue({ socketPath: d.socket }, 'supervisor.sendRemoteCommEvent', type, data);

const listener = (name: string, mode: string, extra = ''): string => `
[eventlistener:${name}]
command = ${fixture('odd-listener.py')} ${mode} %(here)s/${name}.txt
events = REMOTE_COMMUNICATION
${extra}
`;

describe('event-listener pools', { skip: SKIP }, () => {
  it("a listener that never answers: the buffer drops the oldest with supervisord's line, the daemon is not held up", async () => {
    const d = await startDaemon(listener('slow', 'silent', 'buffer_size = 2'));
    await d.waitForState('slow', 'RUNNING');
    for (let i = 1; i <= 5; i++) await remote(d, 'n', String(i));
    await waitForLines(d, 'slow.txt', (all) => all.includes('REMOTE_COMMUNICATION type:n 1'));
    // 1 is with the listener, 2..5 went through a buffer of 2: 2 and 3 were dropped.
    const dropped = await d.waitForOutput(
      /(pool slow event buffer overflowed, discarding event \d+[\s\S]*){2}/,
    );
    assert.ok(dropped[0].length > 0);
    const start = Date.now();
    assert.equal((await d.process('slow')).statename, 'RUNNING');
    assert.ok(Date.now() - start < 10_000);
  });

  it('a listener that writes garbage is logged, and restarted instead of left UNKNOWN for good', async () => {
    const d = await startDaemon(listener('garbage', 'garbage', 'startsecs = 0'));
    await d.waitForOutput(
      /garbage: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol/,
    );
    await d.waitForOutput(
      /restarting garbage: event listener protocol: unexpected output while ACKNOWLEDGED/,
    );
    await waitForLines(d, 'garbage.txt', (all) => all.filter((l) => l === 'start').length >= 2);
  });

  it('a huge RESULT is a bad result line: the event goes back to the pool and reaches the restarted listener', async () => {
    const d = await startDaemon(listener('huge', 'huge', 'startsecs = 0'));
    await d.waitForState('huge', 'RUNNING');
    await remote(d, 'big', 'payload');
    await d.waitForOutput(/huge: bad result line: 'RESULT 99999999999'/);
    const all = await waitForLines(d, 'huge.txt', (l) => l.filter((x) => x.startsWith('REMOTE')).length >= 2);
    assert.deepEqual(all.filter((l) => l.startsWith('REMOTE')).slice(0, 2), [
      'REMOTE_COMMUNICATION type:big payload',
      'REMOTE_COMMUNICATION type:big payload',
    ]);
  });

  it('a listener that dies while busy: its event is sent again, to its successor', async () => {
    const d = await startDaemon(listener('dies', 'die-once', 'startsecs = 0'));
    await d.waitForState('dies', 'RUNNING');
    await remote(d, 'once', 'more');
    const all = await waitForLines(d, 'dies.txt', (l) => l.filter((x) => x.startsWith('REMOTE')).length >= 2);
    assert.deepEqual(all.slice(0, 4), [
      'start',
      'REMOTE_COMMUNICATION type:once more',
      'start',
      'REMOTE_COMMUNICATION type:once more',
    ]);
  });

  it("tend's own events reach a listener that names them, and never one that asks for EVENT", async () => {
    const d = await startDaemon(`
[eventlistener:own]
command = ${fixture('record-listener.py')} %(here)s/own.jsonl
events = PROCESS_RESTART,PROCESS_READY

[eventlistener:all]
command = ${fixture('record-listener.py')} %(here)s/all.jsonl
events = EVENT

[program:crash]
command = ${fixture('crash-once.sh')} %(here)s/crashed
startsecs = 1
`);
    const own = await waitForLines(d, 'own.jsonl', (l) => l.some((x) => x.includes('PROCESS_RESTART')));
    const restart = own
      .map((l) => JSON.parse(l) as { headers: { eventname: string }; payload: string })
      .find((r) => r.headers.eventname === 'PROCESS_RESTART');
    assert.match(
      restart?.payload ?? '',
      /^processname:crash groupname:crash pid:\d+ reason:crash delay_ms:\d+\nexit status 3; not expected$/,
    );
    await waitForLines(
      d,
      'all.jsonl',
      (l) =>
        l.filter((x) => x.includes('PROCESS_STATE_RUNNING') && x.includes('processname:crash')).length >= 2,
    );
    const everything = lines(d, 'all.jsonl').join('\n');
    for (const own of [
      'PROCESS_RESTART',
      'PROCESS_READY',
      'PROCESS_HEALTH',
      'PROCESS_FLAP_GUARD',
      'LOG_BYTES_DROPPED',
    ]) {
      assert.ok(
        !everything.includes(`eventname:${own}`) && !everything.includes(`"eventname": "${own}"`),
        own,
      );
    }
  });
});
