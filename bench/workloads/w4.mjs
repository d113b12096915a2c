// W4: one program (programs/lines.c) writing numbered 100-byte lines to stdout as fast as the
// pipe takes them, rotation off. Figures: MiB/s from the start command until the log file holds
// every byte, and bytes lost (expected bytes minus the bytes of intact lines; a torn, corrupt or
// missing line counts whole).
import path from 'node:path';
import { runToFile } from '../drivers/limit.mjs';
import { now } from '../lib/util.mjs';
import { MiB, checkLines, waitForBytes } from './common.mjs';

const ENDED = new Set(['EXITED', 'STOPPED', 'FATAL', 'BACKOFF']);

// Whether the program `name` has ended, according to the system's status API.
export const programEnded = (driver, name) => async () =>
  (await driver.list()).some((p) => p.name === name && ENDED.has(p.state));

const figuresFrom = (lines, waited, check) => ({
  mib_s: waited.complete ? (lines * 100) / MiB / (waited.ms / 1000) : { na: 'log never complete' },
  lost_bytes: lines * 100 - check.valid * 100,
});

export const W4 = {
  id: 'W4',
  title: 'log throughput',
  cases: (sizes) => [{ key: 'W4', label: 'W4', params: { lines: sizes.w4Lines } }],
  figures: ({ lines }) => [
    {
      key: 'mib_s',
      label: `log throughput, ${((lines * 100) / MiB).toFixed(0)} MiB, no rotation`,
      unit: 'MiB/s',
      better: 'higher',
    },
    { key: 'lost_bytes', label: 'bytes lost', unit: 'B', better: 'lower', integrity: true },
  ],
  async run(driver, ctx, { lines }) {
    const log = path.join(driver.dir, 'gen.log');
    await driver.start([
      {
        name: 'gen',
        argv: [ctx.tools.lines, 'gen', String(lines)],
        autorestart: false,
        stdout: { path: log, maxBytes: 0, backups: 0 },
      },
    ]);
    const t0 = now();
    await driver.startProgram('gen');
    const file = await driver.stdoutLog('gen', log);
    const waited = await waitForBytes({
      t0,
      files: () => [file],
      expected: lines * 100,
      finished: programEnded(driver, 'gen'),
      timeoutMs: ctx.sizes.logTimeoutMs,
    });
    return figuresFrom(lines, waited, await checkLines(ctx.tools, lines, [file]));
  },
  async limit(ctx, { lines }, dir) {
    const log = path.join(dir, 'gen.log');
    const t0 = now();
    let exited = false;
    const running = runToFile([ctx.tools.lines, 'gen', String(lines)], log).finally(() => {
      exited = true;
    });
    const waited = await waitForBytes({
      t0,
      files: () => [log],
      expected: lines * 100,
      finished: () => exited,
      timeoutMs: ctx.sizes.logTimeoutMs,
    });
    await running;
    return figuresFrom(lines, waited, await checkLines(ctx.tools, lines, [log]));
  },
};
