// W4: one program (programs/lines.c) writing numbered 100-byte lines to stdout as fast as the
// pipe takes them, rotation off. Figures: MiB/s from the first byte in the log file until it
// holds every byte, and bytes lost (expected bytes minus the bytes of intact lines; a torn,
// corrupt or missing line counts whole).
// W4S: the same lines written 8 KiB at a time, cut anywhere, as a block-buffered program (stdio,
// `yes | head -c`) writes them: a reader wakes up for every 8 KiB instead of every 64 KiB, so the
// cost per read, not per byte, decides the figure.
import path from 'node:path';
import { MiB, checkLines, generateToFile, generateUnder } from './common.mjs';

const figuresFrom = (lines, waited, check, cpuSeconds) => ({
  mib_s:
    waited.complete && waited.ms > 0
      ? (lines * 100) / MiB / (waited.ms / 1000)
      : { na: 'log never complete' },
  cpu_s_per_gib: cpuSeconds === undefined ? { na: 'no daemon' } : cpuSeconds / ((lines * 100) / 2 ** 30),
  lost_bytes: lines * 100 - check.valid * 100,
});

const logWorkload = ({ id, title, write, shape }) => ({
  id,
  title,
  cases: (sizes) => [{ key: id, label: id, params: { lines: sizes.w4Lines, write } }],
  figures: ({ lines }) => [
    {
      key: 'mib_s',
      label: `log throughput, ${((lines * 100) / MiB).toFixed(0)} MiB, ${shape}, no rotation`,
      unit: 'MiB/s',
      better: 'higher',
    },
    { key: 'cpu_s_per_gib', label: 'daemon CPU per GiB of output', unit: 's', better: 'lower' },
    { key: 'lost_bytes', label: 'bytes lost', unit: 'B', better: 'lower', integrity: true },
  ],
  async run(driver, ctx, gen) {
    const stdout = { path: path.join(driver.dir, 'gen.log'), maxBytes: 0, backups: 0 };
    const { waited, files, cpuSeconds } = await generateUnder(driver, ctx, gen, stdout, (log) => [log]);
    return figuresFrom(gen.lines, waited, await checkLines(ctx.tools, gen.lines, files), cpuSeconds);
  },
  async limit(ctx, gen, dir) {
    const log = path.join(dir, 'gen.log');
    const waited = await generateToFile(ctx, gen, log);
    return figuresFrom(gen.lines, waited, await checkLines(ctx.tools, gen.lines, [log]));
  },
});

export const W4 = logWorkload({
  id: 'W4',
  title: 'log throughput',
  write: undefined,
  shape: '64 KiB writes',
});
export const W4S = logWorkload({
  id: 'W4S',
  title: 'log throughput, small writes',
  write: 8192,
  shape: '8 KiB writes',
});
