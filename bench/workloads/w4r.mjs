// W4R: numbered 100-byte lines through size rotation (stdout_logfile_maxbytes ×
// stdout_logfile_backups). Every file (log.10 … log.1, log: oldest first) is read as one stream.
// Figures: lines lost, duplicated, out of order, corrupt (integrity: must be 0) and the time
// from the first byte until the files hold every byte. "lines split across files" (a line
// cut in two by a rotation) is reported, not counted as a loss.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkLines, generateToFile, generateUnder } from './common.mjs';
import { isTend } from '../drivers/tend.mjs';

// log.N … log.1, log: the ones that exist, oldest first.
const rotatedFiles = (log, backups) =>
  [...Array.from({ length: backups }, (_, i) => `${log}.${backups - i}`), log].filter((f) => existsSync(f));

const figuresFrom = (waited, check) => ({
  time_s: waited.complete ? waited.ms / 1000 : { na: 'log never complete' },
  lines_lost: check.lost,
  lines_duplicated: check.duplicated,
  lines_out_of_order: check.out_of_order,
  lines_corrupt: check.malformed,
  lines_split: check.split_lines,
});

export const W4R = {
  id: 'W4R',
  title: 'log rotation',
  cases: (sizes) => [
    {
      key: 'W4R',
      label: 'W4R',
      params: { lines: sizes.w4rLines, maxBytes: sizes.w4rMaxBytes, backups: 10 },
    },
  ],
  figures: ({ lines, maxBytes, backups }) => [
    {
      key: 'time_s',
      label: `${lines} lines through rotation ${maxBytes} × ${backups}`,
      unit: 's',
      better: 'lower',
    },
    { key: 'lines_lost', label: 'lines lost', unit: 'lines', better: 'lower', integrity: true },
    { key: 'lines_duplicated', label: 'lines duplicated', unit: 'lines', better: 'lower', integrity: true },
    {
      key: 'lines_out_of_order',
      label: 'lines out of order',
      unit: 'lines',
      better: 'lower',
      integrity: true,
    },
    { key: 'lines_corrupt', label: 'lines corrupt', unit: 'lines', better: 'lower', integrity: true },
    { key: 'lines_split', label: 'lines split across files', unit: 'lines', better: 'lower' },
  ],
  async run(driver, ctx, { lines, maxBytes, backups }) {
    if (driver.constructor.rotation === false) {
      const na = { na: 'no built-in size rotation' };
      return Object.fromEntries(W4R.figures({ lines, maxBytes, backups }).map((f) => [f.key, na]));
    }
    const stdout = { path: path.join(driver.dir, 'gen.log'), maxBytes, backups };
    const rotated = (log) => rotatedFiles(log, backups);
    const { waited, files } = await generateUnder(driver, ctx, { lines }, stdout, rotated);
    return figuresFrom(waited, await checkLines(ctx.tools, lines, files));
  },
  async limit(ctx, { lines }, dir) {
    const log = path.join(dir, 'gen.log');
    const waited = await generateToFile(ctx, { lines }, log);
    const check = await checkLines(ctx.tools, lines, [log]);
    return { ...figuresFrom(waited, check), lines_split: { na: 'no rotation' } };
  },
};

// W4A: the same lines through age rotation (tend's stdout_logfile_maxage = 20ms, no size limit):
// at full speed the file is rotated every few megabytes, so the check is W4R's, at line ends
// decided by time instead of size. supervisord and PM2 have no age rotation: n/a.
const AGE = '20ms';
const AGE_BACKUPS = 1000;

// log.N … log.1, log, found by counting up while they exist: the byte counter polls every 10 ms,
// and a stat of 1000 names each time would compete with the daemon for the CPU.
const presentRotated = (log) => {
  let n = 0;
  while (existsSync(`${log}.${n + 1}`)) n += 1;
  return [...Array.from({ length: n }, (_, i) => `${log}.${n - i}`), log];
};

export const W4A = {
  id: 'W4A',
  title: 'log rotation by age',
  cases: (sizes) => [{ key: 'W4A', label: 'W4A', params: { lines: sizes.w4rLines } }],
  figures: ({ lines }) => [
    { key: 'time_s', label: `${lines} lines through age rotation every ${AGE}`, unit: 's', better: 'lower' },
    { key: 'rotations', label: 'rotations', unit: 'files', better: 'higher' },
    ...W4R.figures({ lines, maxBytes: 0, backups: 0 }).filter((f) => f.key !== 'time_s'),
  ],
  async limit() {
    return Object.fromEntries(W4A.figures({ lines: 0 }).map((f) => [f.key, { na: 'no rotation' }]));
  },
  async run(driver, ctx, { lines }) {
    const system = driver.constructor.system;
    if (!isTend(system)) {
      const na = { na: `${system} has no age rotation` };
      return Object.fromEntries(W4A.figures({ lines }).map((f) => [f.key, na]));
    }
    const keys = [`stdout_logfile_maxage=${AGE}`];
    const stdout = { path: path.join(driver.dir, 'gen.log'), maxBytes: 0, backups: AGE_BACKUPS, keys };
    const { waited, files } = await generateUnder(driver, ctx, { lines }, stdout, presentRotated);
    return { ...figuresFrom(waited, await checkLines(ctx.tools, lines, files)), rotations: files.length - 1 };
  },
};
