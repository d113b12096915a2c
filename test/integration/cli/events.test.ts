import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEND, fixture, startDaemon } from '../../helpers/daemon.js';

// `tend events` against a real daemon: recent events as lines or JSON, and -f until Ctrl-C or
// until the daemon goes away (then it says so and fails).

const config = `
[program:web]
command = ${fixture('forever.sh')}
startsecs = 0

[program:crash]
command = ${fixture('exit-with.sh')} 3
startsecs = 0
autorestart = false
`;

const follow = (conf: string, args: readonly string[]) => {
  const child = spawn(TEND, ['-c', conf, 'events', '-f', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const waitFor = async (pattern: RegExp): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!pattern.test(out)) {
      if (Date.now() > deadline) throw new Error(`tend events -f printed:\n${out}\n${err}`);
      await sleep(50);
    }
  };
  const exit = once(child, 'exit') as Promise<[number | null]>;
  return { child, waitFor, exit, output: () => ({ out, err }) };
};

describe('tend events', () => {
  it('prints recent events one per line, or as JSON, filtered by name and type', async () => {
    const d = await startDaemon(config);
    await d.waitForState('crash', 'EXITED');
    const text = await d.tend(['events', '-n', '100']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} PROCESS_GROUP_ADDED crash$/m);
    assert.match(
      text.stdout,
      /PROCESS_STATE_EXITED crash RUNNING -> EXITED, pid \d+, exit status 3, not expected, Bad exit code 3$/m,
    );
    const json = await d.tend(['events', '--json', '--types', 'PROCESS_STATE', 'crash']);
    assert.equal(json.code, 0, json.stderr);
    const states = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { to: string; name: string });
    assert.deepEqual(
      states.map((s) => `${s.name} ${s.to}`),
      ['crash STARTING', 'crash RUNNING', 'crash EXITED'],
    );
    const bad = await d.tend(['events', '--types', 'PROCESS_STATE_NOPE']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown event type PROCESS_STATE_NOPE/);
  });

  it('-f prints new events as they happen and stops cleanly on Ctrl-C', async () => {
    const d = await startDaemon(config);
    await d.waitForState('web', 'RUNNING');
    const f = follow(d.conf, ['-n', '1', 'web']);
    // The last event about web comes first: the stream is open.
    await f.waitFor(/ web /);
    assert.equal((await d.tend(['stop', 'web'])).code, 0);
    await f.waitFor(/PROCESS_STATE_STOPPED web STOPPING -> STOPPED/);
    assert.ok(!f.output().out.includes('crash'), 'only web');
    f.child.kill('SIGINT');
    const [code] = await f.exit;
    assert.equal(code, 0);
  });

  it('-f says so and fails when the daemon goes away', async () => {
    const d = await startDaemon(config);
    const f = follow(d.conf, ['--types', 'SUPERVISOR_STATE_CHANGE']);
    await f.waitFor(/SUPERVISOR_STATE_CHANGE_RUNNING/);
    await d.stop();
    const [code] = await f.exit;
    assert.notEqual(code, 0);
    assert.match(f.output().out, /SUPERVISOR_STATE_CHANGE_STOPPING daemon SHUTDOWN/);
    assert.match(f.output().err, /the daemon ended the event stream/);
  });
});
