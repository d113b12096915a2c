import { describe, it, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Daemon, ROOT, TEND, fixture, header, run, spawnDaemon, startDaemon } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// tend as a container's init: `tend daemon` as PID 1 of a new pid namespace (unshare, as root),
// with a program that leaves orphans and zombies behind; and `--subreaper` outside one.

const UNSHARE = ['--pid', '--fork', '--mount-proc'];

/** Why this machine cannot run a new pid namespace, or null. */
const unshareUnavailable = (): string | null => {
  if (process.getuid?.() !== 0) return 'needs root for unshare --pid';
  const probe = spawnSync('unshare', [...UNSHARE, 'true'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `unshare cannot run: ${probe.error.message}`;
  if (probe.status !== 0)
    return `unshare --pid --fork --mount-proc is not permitted here: ${probe.stderr.trim()}`;
  return null;
};

const skipWithoutUnshare = (t: TestContext): boolean => {
  const why = unshareUnavailable();
  if (why !== null) t.skip(why);
  return why !== null;
};

const procStat = (pid: number | string): string[] | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
};

/** Direct children of `pid` (every thread's), as the host sees them. */
const childrenOf = (pid: number): number[] => {
  const tasks = spawnSync('ls', [`/proc/${pid}/task`], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n');
  return tasks.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  });
};

const zombiesOf = (pid: number): number[] => childrenOf(pid).filter((child) => procStat(child)?.[0] === 'Z');

interface InitDaemon {
  readonly daemon: Daemon;
  /** tend's pid as the host sees it (it is 1 inside its namespace). */
  readonly tendPid: number;
}

/** Starts `unshare --pid --fork --mount-proc bin/tend daemon -c …` and waits for its API. */
const startAsPid1 = async (body: string, logLevel = 'debug'): Promise<InitDaemon> => {
  const dir = tempDir();
  const conf = path.join(dir, 'tend.conf');
  writeFileSync(conf, `${header(dir).replace('loglevel = info', `loglevel = ${logLevel}`)}\n${body}\n`);
  const child = spawn('unshare', [...UNSHARE, TEND, 'daemon', '-c', conf], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const daemon = new Daemon(dir, conf, child);
  let tendPid = 0;
  after(() => {
    if (tendPid !== 0 && procStat(tendPid) !== null) process.kill(tendPid, 'SIGKILL');
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (daemon.exited) throw new Error(`daemon exited early (${daemon.child.exitCode}):\n${daemon.output}`);
    tendPid = childrenOf(daemon.pid)[0] ?? 0;
    try {
      if (tendPid !== 0 && (await daemon.api('GET', '/api/v1/processes')).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`daemon did not come up:\n${daemon.output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { daemon, tendPid };
};

const waitUntil = async (what: string, check: () => boolean, output: () => string): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- daemon output ---\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('tend as PID 1 of a pid namespace', () => {
  it('reaps every orphan and zombie a program leaves; SIGTERM stops everything, exit 0', async (t) => {
    if (skipWithoutUnshare(t)) return;
    const { daemon, tendPid } = await startAsPid1(`
[program:leaver]
command = ${fixture('leave-orphans.sh')}
startsecs = 0
autorestart = false
`);
    assert.match(daemon.output, /running as PID 1: reaping orphaned processes/);
    await daemon.waitForState('leaver', 'EXITED');
    // Four children of the program exit (7, 7, 7 and 0) after it did or before it was gone.
    await waitUntil(
      'the four orphans reaped',
      () => (daemon.output.match(/reaped orphan \d+ \(exit status [07]\)/g) ?? []).length >= 4,
      () => daemon.output,
    );
    await waitUntil(
      'no zombie under tend',
      () => zombiesOf(tendPid).length === 0,
      () => daemon.output,
    );
    // The long sleeper is still running, re-parented to tend; SIGTERM must stop it too.
    const live = childrenOf(tendPid).filter((pid) => procStat(pid)?.[0] !== 'Z');
    assert.ok(live.length >= 1, 'an orphan is still running');
    process.kill(tendPid, 'SIGTERM');
    assert.equal(await daemon.exit(), 0, daemon.output);
    assert.match(daemon.output, /stopping orphaned processes left behind: \d+/);
    assert.doesNotMatch(daemon.output, /SIGKILL/);
    for (const pid of live) assert.equal(procStat(pid), null, `orphan ${pid} is gone`);
  });

  it('a stop that needs SIGKILL is not clean: exit 3', async (t) => {
    if (skipWithoutUnshare(t)) return;
    const { daemon, tendPid } = await startAsPid1(
      `
[program:stubborn]
command = ${fixture('ignore-term.sh')}
startsecs = 0
stopwaitsecs = 1
`,
      'info',
    );
    await daemon.waitForState('stubborn', 'RUNNING');
    process.kill(tendPid, 'SIGTERM');
    assert.equal(await daemon.exit(), 3, daemon.output);
    assert.match(daemon.output, /killing 'stubborn' \(\d+\) with SIGKILL/);
    assert.match(daemon.output, /tend stopped \(exit code 3\)/);
  });

  it('a critical program that gives up (FATAL) stops everything and ends the daemon: exit 4', async (t) => {
    if (skipWithoutUnshare(t)) return;
    const { daemon } = await startAsPid1(
      `
[program:db]
command = ${fixture('exit-with.sh')} 1
startsecs = 1
startretries = 2
critical = true

[program:web]
command = ${fixture('forever.sh')}
startsecs = 0
`,
      'info',
    );
    assert.equal(await daemon.exit(), 4, daemon.output);
    assert.match(daemon.output, /CRIT db entered FATAL \(.+\); stopping everything \(critical = true\)/);
    assert.match(daemon.output, /stopped: web \(terminated by SIGTERM\)/);
  });
});

describe('tend daemon --subreaper and exit_on', () => {
  it('--subreaper: orphans are re-parented to the daemon and reaped', async () => {
    const dir = tempDir();
    const d = await startDaemon(
      `
[program:leaver]
command = ${fixture('leave-orphans.sh')} 2
startsecs = 0
autorestart = false
`,
      { dir, args: ['--subreaper'], header: header(dir).replace('loglevel = info', 'loglevel = debug') },
    );
    assert.match(d.output, /subreaper: reaping orphaned processes/);
    await d.waitForState('leaver', 'EXITED');
    // Three exit 7, one at once, and the sleeper after 2 s: five orphans in all.
    await waitUntil(
      'five orphans reaped',
      () => (d.output.match(/reaped orphan \d+/g) ?? []).length >= 5,
      () => d.output,
    );
    assert.equal(zombiesOf(d.pid).length, 0);
    assert.equal(await d.stop(), 0);
  });

  it('exit_on = FATAL: any program giving up ends the daemon with exit 4', async () => {
    const dir = tempDir();
    const d = spawnDaemon(
      `
[program:flaky]
command = ${fixture('exit-with.sh')} 2
startsecs = 1
startretries = 0
`,
      { dir, header: header(dir).replace('[supervisord]', '[supervisord]\nexit_on = FATAL') },
    );
    assert.equal(await d.exit(), 4, d.output);
    assert.match(d.output, /flaky entered FATAL .*; stopping everything \(exit_on = FATAL\)/);
  });

  it('without exit_on or critical, a FATAL program leaves the daemon running', async () => {
    const d = await startDaemon(`
[program:flaky]
command = ${fixture('exit-with.sh')} 2
startsecs = 1
startretries = 0
`);
    await d.waitForState('flaky', 'FATAL');
    assert.equal(d.exited, false);
    assert.equal(await d.stop(), 0);
  });
});

describe('the example container config', () => {
  it('passes tend check', async () => {
    const result = await run(TEND, ['check', '-c', path.join(ROOT, 'examples/container/tend.conf')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /valid \(2 groups, 2 processes\)/);
  });
});
