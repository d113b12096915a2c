// W4T and W4J: W4 (numbered 100-byte lines, 64 KiB writes, no rotation) with tend's line formats
// on: log_timestamps = true (each line starts with a 25-byte RFC 3339 stamp) and log_format = json
// (each line a JSON record). The figure is MiB/s of the program's output (lines × 100 bytes, as
// W4), so it compares with W4's raw path of every system; bytes lost counts lines missing, out
// of order or corrupt after the format is taken off, and stamps must never go back in time.
// supervisord and PM2 have neither format: n/a.
import { createReadStream, openSync, readSync, closeSync, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { MiB, generateUnder } from './common.mjs';
import { isTend } from '../drivers/tend.mjs';

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (.*)$/;

// The generator's line n: 10 digits, a space, 88 letters 'a' + (n + j) % 26.
const isLine = (text, n) => {
  if (text.length !== 99 || text.slice(0, 10) !== String(n).padStart(10, '0') || text[10] !== ' ')
    return false;
  for (let j = 0; j < 88; j++) if (text.charCodeAt(11 + j) !== 97 + ((n + j) % 26)) return false;
  return true;
};

// Reads the log and counts lines that are intact, in order, with times that never go back.
const check = async (file, parse) => {
  let n = 0;
  let lastTime = '';
  let backwards = 0;
  let bad = 0;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const raw of lines) {
    const rec = parse(raw);
    if (rec === null || !isLine(rec.line, n)) {
      bad += 1;
      continue;
    }
    if (rec.time < lastTime) backwards += 1;
    lastTime = rec.time;
    n += 1;
  }
  return { valid: n, bad, backwards };
};

const parseStamped = (raw) => {
  const m = STAMP.exec(raw);
  return m === null ? null : { time: m[1], line: m[2] };
};

const parseJson = (raw) => {
  try {
    const r = JSON.parse(raw);
    return r.stream === 'stdout' && r.program === 'gen' ? { time: r.time, line: r.line } : null;
  } catch {
    return null;
  }
};

// Every JSON record of the generator has the same length (same pid, fixed-width time): the first
// one says what the whole log will hold.
const firstLineLength = (log) => {
  if (!existsSync(log)) return -1;
  const fd = openSync(log, 'r');
  try {
    const buf = Buffer.alloc(512);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const nl = buf.subarray(0, n).indexOf(10);
    return nl < 0 ? -1 : nl + 1;
  } finally {
    closeSync(fd);
  }
};

const formatWorkload = ({ id, title, keys, expected, parse }) => ({
  id,
  title,
  cases: (sizes) => [{ key: id, label: id, params: { lines: sizes.w4Lines } }],
  figures: ({ lines }) => [
    {
      key: 'mib_s',
      label: `log throughput with ${keys.join(', ')}, ${((lines * 100) / MiB).toFixed(0)} MiB of output, 64 KiB writes`,
      unit: 'MiB/s',
      better: 'higher',
    },
    {
      key: 'cpu_s_per_gib',
      label: 'daemon CPU per GiB of output',
      unit: 's',
      better: 'lower',
    },
    { key: 'lost_bytes', label: 'bytes lost', unit: 'B', better: 'lower', integrity: true },
    { key: 'time_backwards', label: 'stamps going back', unit: 'lines', better: 'lower', integrity: true },
  ],
  // The limit is W4's: a program's output straight to a file has no format to add.
  async limit() {
    const na = { na: 'no line format: compare with W4' };
    return { mib_s: na, cpu_s_per_gib: na, lost_bytes: na, time_backwards: na };
  },
  async run(driver, ctx, { lines }) {
    if (!isTend(driver.constructor.system)) {
      const na = { na: `${driver.constructor.system} has no ${keys.join(', ')}` };
      return { mib_s: na, cpu_s_per_gib: na, lost_bytes: na, time_backwards: na };
    }
    const stdout = { path: path.join(driver.dir, 'gen.log'), maxBytes: 0, backups: 0, keys };
    const gen = { lines, expected: (log) => expected(lines, log) };
    const { waited, files, cpuSeconds } = await generateUnder(driver, ctx, gen, stdout, (log) => [log]);
    const result = await check(files[0], parse);
    return {
      mib_s:
        waited.complete && waited.ms > 0
          ? (lines * 100) / MiB / (waited.ms / 1000)
          : { na: 'log never complete' },
      cpu_s_per_gib: cpuSeconds / ((lines * 100) / 2 ** 30),
      lost_bytes: (lines - result.valid) * 100,
      time_backwards: result.backwards,
    };
  },
});

export const W4T = formatWorkload({
  id: 'W4T',
  title: 'log throughput, timestamps',
  keys: ['log_timestamps=true'],
  expected: (lines) => lines * 125,
  parse: parseStamped,
});

export const W4J = formatWorkload({
  id: 'W4J',
  title: 'log throughput, JSON lines',
  keys: ['log_format=json'],
  expected: (lines, log) => {
    const length = firstLineLength(log);
    return length < 0 ? -1 : lines * length;
  },
  parse: parseJson,
});
