import { after, describe, it } from 'node:test';
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { TEND, fixture, run, startDaemon } from '../../helpers/daemon.js';
import { checkNumberedLines, readRotated } from '../../helpers/lines.js';

const waitForSize = async (files: () => number, expected: number, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (files() >= expected) return;
    await sleep(50);
  }
  throw new Error(`only ${files()} of ${expected} bytes arrived`);
};

const totalSize = (file: string, backups: number): number => {
  let total = 0;
  for (const f of [file, ...Array.from({ length: backups }, (_, i) => `${file}.${i + 1}`)]) {
    if (existsSync(f)) total += statSync(f).size;
  }
  return total;
};

/** Bytes `seq 1 n` writes. */
const seqBytes = (n: number): number => {
  let total = 0;
  for (let digits = 1, from = 1; from <= n; digits++, from *= 10)
    total += (Math.min(n, from * 10 - 1) - from + 1) * (digits + 1);
  return total;
};

describe('child logs through the daemon', () => {
  it('rotation keeps 300,000 numbered lines: none lost, duplicated or reordered across file + backups', async () => {
    const d = await startDaemon(`
[program:seq]
command = ${fixture('numbered.sh')} 300000
startsecs = 0
stdout_logfile = %(here)s/seq.log
stdout_logfile_maxbytes = 64KB
stdout_logfile_backups = 100
`);
    const file = `${d.dir}/seq.log`;
    await waitForSize(() => totalSize(file, 100), seqBytes(300_000));
    assert.ok(existsSync(`${file}.20`), 'rotated many times');
    assert.ok(statSync(`${file}.1`).size <= 64 * 1024);
    assert.deepEqual(checkNumberedLines(readRotated(file, 100), 300_000), {
      count: 300_000,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      garbage: 0,
    });
  });

  it('keeps output of every incarnation across restarts, and stderr apart unless redirected', async () => {
    const d = await startDaemon(`
[program:burst]
command = /bin/sh -c 'seq 1 5000; echo done >&2; exit 1'
startsecs = 0
autorestart = true
stdout_logfile = %(here)s/burst.out
stderr_logfile = %(here)s/burst.err

[program:merged]
command = ${fixture('stderr.sh')}
startsecs = 0
redirect_stderr = true
stdout_logfile = %(here)s/merged.out
`);
    await d.waitFor('three runs', () => (d.output.match(/spawned: 'burst'/g) ?? []).length >= 4);
    await d.tend(['stop', 'burst']);
    const runs = readFileSync(`${d.dir}/burst.out`, 'utf8').split('1\n2\n3\n').length - 1;
    const errs = readFileSync(`${d.dir}/burst.err`, 'utf8').split('done\n').length - 1;
    assert.ok(runs >= 3);
    // The stop may land between a run's last stdout line and its `done`: that run has no stderr line.
    assert.ok(errs === runs || errs === runs - 1, `${runs} runs but ${errs} stderr lines`);
    const whole = readFileSync(`${d.dir}/burst.out`, 'utf8');
    for (let i = 0; i < errs; i++) {
      const chunk = whole.slice(i * seqBytes(5000), (i + 1) * seqBytes(5000));
      assert.deepEqual(checkNumberedLines(chunk, 5000).lost, 0, `run ${i + 1} is complete`);
    }
    await d.waitFor('merged output', () => readFileSync(`${d.dir}/merged.out`, 'utf8').includes('to stderr'));
    assert.equal(readFileSync(`${d.dir}/merged.out`, 'utf8'), 'to stdout\nto stderr\n');
  });

  it('SIGUSR2 reopens log files, so an external logrotate can move them away', async () => {
    const d = await startDaemon(`
[program:tick]
command = /bin/sh -c 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done'
startsecs = 0
stdout_logfile = %(here)s/tick.log
`);
    const file = `${d.dir}/tick.log`;
    await waitForSize(() => (existsSync(file) ? statSync(file).size : 0), 20);
    renameSync(file, `${file}.moved`);
    d.signal('SIGUSR2');
    await d.waitForOutput(/received SIGUSR2 indicating log reopen request/);
    await waitForSize(() => (existsSync(file) ? statSync(file).size : 0), 20);
    await d.tend(['stop', 'tick']);
    const text = readFileSync(`${file}.moved`, 'utf8') + readFileSync(file, 'utf8');
    const numbers = text.trim().split('\n').map(Number);
    assert.deepEqual(
      numbers,
      numbers.map((_, i) => i + 1),
      'no line lost or repeated across the reopen',
    );
  });

  it('a full disk drops output without blocking the child or the daemon, reports it, and recovers', async (t) => {
    const mountPoint = mkdtempSync(path.join(tmpdir(), 'tend-full-'));
    const mount = await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
    if (mount.code !== 0) {
      rmSync(mountPoint, { recursive: true, force: true });
      t.skip(`needs root to mount a 1 MiB tmpfs: ${mount.stderr.trim()}`);
      return;
    }
    // Runs after the daemon (registered later, stopped first) has closed its log file.
    after(async () => {
      await run('umount', ['-l', mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    });
    const logDir = path.join(mountPoint, 'logs');
    mkdirSync(logDir);
    const d = await startDaemon(`
[program:flood]
command = /bin/sh -c 'seq 1 800000; touch %(here)s/flooded; while [ ! -e %(here)s/go ]; do sleep 0.05; done; echo AFTER-RECOVERY; exec sleep 100000'
startsecs = 0
stdout_logfile = ${logDir}/flood.log
stdout_logfile_maxbytes = 0
`);
    await d.waitForOutput(/flood: cannot write stdout log .*flood\.log \(ENOSPC\)/);
    // The child wrote all 5.7 MB into a 1 MiB disk and went on: it was never blocked.
    await d.waitFor('the child to finish its output', () => existsSync(`${d.dir}/flooded`));
    assert.equal((await d.info())[0]?.statename, 'RUNNING', 'the daemon kept supervising');
    const remount = await run('mount', ['-o', 'remount,size=16m', mountPoint]);
    assert.equal(remount.code, 0, remount.stderr);
    await d.waitForOutput(/flood: stdout log .*flood\.log is writable again; \d+ bytes were dropped/);
    const dropped = Number(/writable again; (\d+) bytes were dropped/.exec(d.output)?.[1]);
    assert.ok(dropped > 0, 'the loss is counted and reported');
    writeFileSync(`${d.dir}/go`, '');
    await d.waitFor('output after recovery', () =>
      readFileSync(`${logDir}/flood.log`, 'utf8').endsWith('AFTER-RECOVERY\n'),
    );
    const lines = readFileSync(`${logDir}/flood.log`, 'utf8').split('\n');
    assert.equal(lines[0], '1', 'what was written before the disk filled is intact');
    const written = seqBytes(800_000) - dropped;
    assert.equal(
      statSync(`${logDir}/flood.log`).size,
      written + 'AFTER-RECOVERY\n'.length,
      'every byte is either in the file or counted',
    );
  });
});

describe('following output', () => {
  it('tend logs -f keeps following a program that a reload replaced', async () => {
    const d = await startDaemon(`
[program:talk]
command = /bin/sh -c 'i=0; while :; do i=$((i+1)); echo "$TAG $i"; sleep 0.05; done'
environment = TAG="first"
startsecs = 0
stdout_logfile = %(here)s/talk.log
`);
    await d.waitForState('talk', 'RUNNING');
    const follower = spawn(TEND, ['-c', d.conf, 'logs', '-f', '-n', '0', 'talk'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    follower.stdout.on('data', (c: Buffer) => (seen += c.toString()));
    after(() => follower.kill('SIGKILL'));
    const waitSeen = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (!pattern.test(seen)) {
        if (Date.now() > deadline) throw new Error(`follower never printed ${String(pattern)}; got: ${seen}`);
        await sleep(50);
      }
    };
    await waitSeen(/first \d+/);
    writeFileSync(d.conf, readFileSync(d.conf, 'utf8').replace('TAG="first"', 'TAG="second"'));
    d.signal('SIGHUP');
    await d.waitForOutput(/changed \[talk:talk\]/);
    await waitSeen(/second \d+/);
  });
});
