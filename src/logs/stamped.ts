import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Arrivals } from './arrivals.js';
import { readLastLines } from './lines.js';

// A log's recent lines with the time each arrived (from its Arrivals marks): the history of
// `tend logs`, merged across programs by time. Lines are cut from bytes read at one moment, all in
// one turn of the event loop, so the file cannot grow between the read and the offsets.

export interface StampedLine {
  /** Epoch ms the line's last byte arrived; null when the daemon does not know (an older file). */
  readonly at: number | null;
  /** The line with its newline (a last line still being written has none). */
  readonly text: Buffer;
}

export interface StampedQuery {
  /** At most this many lines, the last ones. */
  readonly lines: number;
  /** Only lines that arrived at or after this time (epoch ms). */
  readonly since?: number | undefined;
  /** At most this many bytes are read. */
  readonly maxBytes: number;
}

// The bytes from `from` to the end (at most maxBytes), starting at a line's start: a line cut by
// the limit or begun before `from` is left out.
const readTail = (file: string, from: number, maxBytes: number): { bytes: Buffer; size: number } => {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(from, size - maxBytes, 0);
    const before = start === 0 ? 0 : 1;
    const bytes = Buffer.allocUnsafe(size - start + before);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, start - before + got);
      if (n === 0) break;
      got += n;
    }
    const read = bytes.subarray(0, got);
    const cut = before === 0 ? 0 : read[0] === 10 ? 1 : read.indexOf(10) + 1;
    return {
      bytes: cut === 0 && before === 1 ? Buffer.alloc(0) : read.subarray(cut),
      size: start - before + got,
    };
  } finally {
    closeSync(fd);
  }
};

const split = (bytes: Buffer, endOffset: number, arrivals: Arrivals): StampedLine[] => {
  const out: StampedLine[] = [];
  const base = endOffset - bytes.length;
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl + 1;
    out.push({ at: arrivals.timeOf(base + end), text: bytes.subarray(start, end) });
    start = end;
  }
  return out;
};

/** The last `lines` lines of `file` (since `since`), each with its arrival time. */
export const readStamped = (file: string, arrivals: Arrivals, query: StampedQuery): StampedLine[] => {
  if (query.lines <= 0) return [];
  if (query.since === undefined) {
    const bytes = readLastLines(file, query.lines, query.maxBytes);
    const size = fstatSize(file);
    return split(bytes, size, arrivals);
  }
  const since = query.since;
  const { bytes, size } = readTail(file, arrivals.offsetSince(since), query.maxBytes);
  const lines = split(bytes, size, arrivals).filter((l) => l.at !== null && l.at >= since);
  return lines.slice(-query.lines);
};

const fstatSize = (file: string): number => {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
};
