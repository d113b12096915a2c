// Pieces shared by the workloads: program specs, timing of "start → all RUNNING", the byte
// counter of the log workloads and the line checker.
import { statSync } from 'node:fs';
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

const fileSize = (file) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

// Polls the total size of `files()` until it reaches `expected` bytes. If it stops growing for
// `stallMs` and `finished()` says the writer is gone, it gives up. Resolves { ms, bytes,
// complete } where ms is measured from `t0` to the poll that saw the last byte.
export const waitForBytes = async ({ t0, files, expected, finished, timeoutMs, stallMs = 3000 }) => {
  let size = 0;
  let grewAt = now();
  for (;;) {
    const current = files().reduce((sum, f) => sum + fileSize(f), 0);
    const t = now();
    if (current !== size) {
      size = current;
      grewAt = t;
    }
    if (size === expected) return { ms: t - t0, bytes: size, complete: true };
    if (t - t0 > timeoutMs || (t - grewAt > stallMs && (await finished()))) {
      return { ms: grewAt - t0, bytes: size, complete: false };
    }
    await sleep(20);
  }
};

// Runs the C checker over `files` (oldest first) for lines 0 … count-1.
export const checkLines = async (tools, count, files) => {
  const { stdout } = await runCmd(tools.lines, ['check', String(count), ...files], { timeoutMs: 600_000 });
  return JSON.parse(stdout);
};

export const MiB = 1024 * 1024;
