// W4: one program (programs/lines.c) writing numbered 100-byte lines to stdout as fast as the
// pipe takes them, rotation off. Figures: MiB/s from the first byte in the log file until it
// holds every byte, and bytes lost (expected bytes minus the bytes of intact lines; a torn,
// corrupt or missing line counts whole).
import path from 'node:path';
import { MiB, checkLines, generateToFile, generateUnder } from './common.mjs';

const figuresFrom = (lines, waited, check) => ({
  mib_s:
    waited.complete && waited.ms > 0
      ? (lines * 100) / MiB / (waited.ms / 1000)
      : { na: 'log never complete' },
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
    const stdout = { path: path.join(driver.dir, 'gen.log'), maxBytes: 0, backups: 0 };
    const { waited, files } = await generateUnder(driver, ctx, lines, stdout, (log) => [log]);
    return figuresFrom(lines, waited, await checkLines(ctx.tools, lines, files));
  },
  async limit(ctx, { lines }, dir) {
    const log = path.join(dir, 'gen.log');
    const waited = await generateToFile(ctx, lines, log);
    return figuresFrom(lines, waited, await checkLines(ctx.tools, lines, [log]));
  },
};
