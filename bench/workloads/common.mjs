// Pieces shared by the workloads: program specs, timing of "start → all RUNNING", the byte
// counter of the log workloads and the line checker.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { runToFile } from '../drivers/limit.mjs';
import { runCmd, now, sleep } from '../lib/util.mjs';

// N long sleepers, the population of W1, W2, W5 and W6.
export const sleepers = (tools, n) =>
  Array.from({ length: n }, (_, i) => ({
    name: `sleep_${i}`,
    argv: [tools.sleep, '100000'],
    autorestart: true,
  }));

// Generous deadline for N programs to change state: PM2 and supervisord need ~10-100 ms each.
export const stateTimeoutMs = (n) => Math.max(60_000, n * 300);

// Starts `n` sleepers and waits until all are RUNNING (setup for W2, W5, W6).
export const startSleepers = async (driver, ctx, n) => {
  await driver.start(sleepers(ctx.tools, n));
  await driver.startAll();
  await driver.waitAllRunning(n, stateTimeoutMs(n));
};

const ENDED = new Set(['EXITED', 'STOPPED', 'FATAL', 'BACKOFF']);

// Whether the program `name` has ended, according to the system's status API.
const programEnded = (driver, name) => async () =>
  (await driver.list()).some((p) => p.name === name && ENDED.has(p.state));

const fileSize = (file) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

// Polls (every 10 ms) the total size of `files()` until it reaches `expected` bytes (a number,
// or a function that says it once it can: -1 until then); gives up
// when it stopped growing for `stallMs` and `finished()` says the writer is gone, or `timeoutMs`
// after the call. Resolves { bytes, complete, lastNs }: lastNs is the process.hrtime (i.e.
// CLOCK_MONOTONIC) of the poll that saw the last byte (or the last growth).
const waitForBytes = async ({ files, expected, finished, timeoutMs, stallMs = 3000 }) => {
  const called = now();
  let size = 0;
  let grewAt = called;
  let grewNs = process.hrtime.bigint();
  for (;;) {
    const current = files().reduce((sum, f) => sum + fileSize(f), 0);
    const t = now();
    if (current !== size) {
      size = current;
      grewAt = t;
      grewNs = process.hrtime.bigint();
    }
    if (size === (typeof expected === 'function' ? expected() : expected))
      return { bytes: size, complete: true, lastNs: grewNs };
    if (t - called > timeoutMs || (t - grewAt > stallMs && (await finished()))) {
      return { bytes: size, complete: false, lastNs: grewNs };
    }
    await sleep(10);
  }
};

// The generator's argv; it writes its own start time (CLOCK_MONOTONIC) to `startFile` first.
// `write`: bytes per write() (lines cut anywhere, as stdio does), or undefined for 65,500-byte
// writes of whole lines.
const generator = (ctx, { lines, write }, startFile) => [
  ctx.tools.lines,
  'gen',
  String(lines),
  startFile,
  ...(write === undefined ? [] : [String(write)]),
];

// Adds `ms`: from the generator's own start to the poll that saw the last byte. The log figures
// thus time the pipeline (program → daemon → file) and not the start command, whose CLI start-up
// (0.1-0.3 s) would weigh on a transfer of about a second.
const timed = (waited, startFile) => ({
  ...waited,
  ms: Number(waited.lastNs - BigInt(readFileSync(startFile, 'utf8').trim())) / 1e6,
});

// W4/W4R under a daemon: runs the generator (`gen`: { lines, write, expected? }: expected(log)
// gives the bytes the log will hold, when they are not lines × 100) as program `gen` with
// `stdout` (path, maxBytes, backups) and waits until `filesOf(its log path)` hold every byte.
// Resolves { waited, files }.
// Writes out the page cache before a log workload: otherwise a run inherits the dirty pages of the
// one before it, and the kernel's writeback throttling (seen here: 360–1,590 MiB/s for the same
// build) decides the figure more than the system under test does.
const flushDisks = () => runCmd('sync', [], { timeoutMs: 120_000 });

export const generateUnder = async (driver, ctx, gen, stdout, filesOf) => {
  const { lines } = gen;
  const startFile = path.join(driver.dir, 'gen.start');
  await driver.start([{ name: 'gen', argv: generator(ctx, gen, startFile), autorestart: false, stdout }]);
  await flushDisks();
  const cpuBefore = driver.cpuSeconds();
  await driver.startProgram('gen');
  const log = await driver.stdoutLog('gen', stdout.path);
  const waited = await waitForBytes({
    files: () => filesOf(log),
    expected: gen.expected === undefined ? lines * 100 : () => gen.expected(log),
    finished: programEnded(driver, 'gen'),
    timeoutMs: ctx.sizes.logTimeoutMs,
  });
  // The daemon's CPU for the whole transfer (10 ms ticks): what a busy machine's figure depends on.
  const cpuSeconds = driver.cpuSeconds() - cpuBefore;
  return { waited: timed(waited, startFile), files: filesOf(log), cpuSeconds };
};

// The limit row of W4/W4R: the generator with its stdout straight on `log`, timed alike.
export const generateToFile = async (ctx, gen, log) => {
  const { lines } = gen;
  const startFile = `${log}.start`;
  await flushDisks();
  let exited = false;
  const running = runToFile(generator(ctx, gen, startFile), log).finally(() => {
    exited = true;
  });
  const waited = await waitForBytes({
    files: () => [log],
    expected: lines * 100,
    finished: () => exited,
    timeoutMs: ctx.sizes.logTimeoutMs,
  });
  await running;
  return timed(waited, startFile);
};

// Runs the C checker over `files` (oldest first) for lines 0 … count-1.
export const checkLines = async (tools, count, files) => {
  const { stdout } = await runCmd(tools.lines, ['check', String(count), ...files], { timeoutMs: 600_000 });
  return JSON.parse(stdout);
};

export const MiB = 1024 * 1024;
