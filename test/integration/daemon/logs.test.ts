import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { TEND, fixture, startDaemon } from '../../helpers/daemon.js';
import { checkNumberedLines, readRotated } from '../../helpers/lines.js';
import { mountTmpfs } from '../../helpers/tmpfs.js';
import { HOLD_PER_FILE } from '../../../src/logs/index.js';
import type { ProcessInfo, TendProcessInfo } from '../../../src/supervisor/index.js';

type TendInfo = ProcessInfo & { readonly tend: TendProcessInfo };

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

  // Issue 15: 5 programs flood a 1 MiB disk. Nothing blocks; each file keeps what reached it, a
  // marker line where output was dropped, and the newest output once there is room; the loss is
  // in the API, the status description and the daemon log when it starts and when it ends.
  it('a full disk drops the oldest output by whole lines, marks it, reports it, and keeps the newest', async (t) => {
    const disk = await mountTmpfs('1m');
    if ('skip' in disk) {
      t.skip(disk.skip);
      return;
    }
    const logDir: string = disk.dir;
    const d = await startDaemon(`
[program:p]
process_name = p%(process_num)d
numprocs = 5
command = /bin/sh -c 'seq 1 1000000; touch %(here)s/flooded-%(process_num)d; while [ ! -e %(here)s/go ]; do sleep 0.05; done; echo LAST-LINE; exec sleep 100000'
startsecs = 0
stdout_logfile = ${logDir}/p%(process_num)d.log
stdout_logfile_maxbytes = 0
`);
    const names = [0, 1, 2, 3, 4].map((i) => `p${i}`);
    // Each child wrote 6.9 MB into a 1 MiB disk and went on: none was blocked.
    await d.waitFor('every child to finish its output', () =>
      names.every((_, i) => existsSync(`${d.dir}/flooded-${i}`)),
    );
    for (const name of names) {
      await d.waitForOutput(
        new RegExp(`${name}: stdout log \\S+ still cannot be written \\(ENOSPC\\); dropping`),
      );
    }
    const during = await d.api<TendInfo[]>('GET', '/api/v1/processes?tend=true');
    for (const p of during.body) {
      assert.equal(p.statename, 'RUNNING', 'the daemon kept supervising');
      assert.equal(p.tend.logs.stdout.error, 'ENOSPC');
      assert.ok(p.tend.logs.stdout.droppedBytes > 0 && p.tend.logs.stdout.droppedLines > 0);
      assert.ok(p.tend.logs.stdout.heldBytes <= HOLD_PER_FILE);
      assert.match(p.description, /stdout log not writable \(ENOSPC, \d+ bytes dropped\)/);
    }
    await disk.grow('64m');
    const dropped = new Map<string, number>();
    for (const name of names) {
      const m = await d.waitForOutput(
        new RegExp(
          `${name}: stdout log \\S+ is writable again; (\\d+) bytes \\((\\d+) lines\\) were dropped`,
        ),
      );
      dropped.set(name, Number(m[1]));
    }
    const after = await d.api<TendInfo[]>('GET', '/api/v1/processes?tend=true');
    for (const p of after.body) {
      assert.equal(p.tend.logs.stdout.error, null);
      assert.equal(p.tend.logs.stdout.droppedBytes, dropped.get(p.name));
      assert.doesNotMatch(p.description, /log not writable/);
    }
    writeFileSync(`${d.dir}/go`, '');
    for (const name of names) {
      const file = `${logDir}/${name}.log`;
      await d.waitFor(`${name}'s last line`, () =>
        readFileSync(file, 'latin1').endsWith('1000000\nLAST-LINE\n'),
      );
      const lines = readFileSync(file, 'latin1').split('\n').slice(0, -2);
      const markers = lines.filter((l) => l.startsWith('[tend] dropped '));
      assert.ok(markers.length >= 1, `${name}: the gap is marked`);
      const numbers = lines.filter((l) => !l.startsWith('[tend] ')).map(Number);
      assert.ok(
        numbers.every((n) => Number.isInteger(n) && n >= 1),
        `${name}: only whole lines, none torn`,
      );
      assert.ok(
        numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? 0)),
        `${name}: in order, nothing repeated`,
      );
      const markedBytes = markers.reduce((sum, m) => sum + Number(/dropped (\d+) bytes/.exec(m)?.[1]), 0);
      const keptBytes = numbers.reduce((sum, n) => sum + String(n).length + 1, 0);
      assert.equal(
        keptBytes + markedBytes,
        seqBytes(1_000_000),
        `${name}: every byte is in the file or marked`,
      );
      assert.equal(markedBytes, dropped.get(name), `${name}: the markers say what the daemon log said`);
    }
  });
});

describe('output without newlines (issue 15)', () => {
  // 4 programs write 40 MB of \r-separated progress text and no newline: the started line is not
  // copied into memory (it used to be, up to maxbytes: 50 MB per stream, ~220 MB of RSS here).
  it('holds no copy of a started line: the daemon stays small and every byte reaches the file', async () => {
    const d = await startDaemon(`
[program:p]
process_name = p%(process_num)d
numprocs = 4
autostart = false
command = /bin/sh -c 'yes "progress 42%%" | tr "\\n" "\\r" | head -c 40000000; exec sleep 100000'
startsecs = 0
stdout_logfile = %(here)s/p%(process_num)d.log
`);
    const rss = (): number =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${d.pid}/status`, 'latin1'))?.[1]) * 1024;
    const before = rss();
    await d.tend(['start', 'all']);
    const files = [0, 1, 2, 3].map((i) => `${d.dir}/p${i}.log`);
    await waitForSize(
      () => files.reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0),
      160_000_000,
      120_000,
    );
    const grown = rss() - before;
    assert.ok(grown < 64 * 1024 * 1024, `the daemon grew by ${Math.round(grown / 1048576)} MiB`);
    for (const f of files) assert.equal(statSync(f).size, 40_000_000);
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
