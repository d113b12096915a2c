import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { pageSizeFrom, parseStat, parseStatmResident, parseStatusRss, type ProcStat } from './procfs.js';

// Reading /proc: one directory listing and one small read per process, into one reused buffer
// (no allocation per file). Measured with 1000 programs: see bench/workloads/stats.mjs.

/** Where process tables come from; the daemon uses /proc, tests a fixture. */
export interface ProcSource {
  /** Every process of the system, by pid. */
  table(): Map<number, ProcStat>;
  /** Bytes per page, for the rss field. */
  readonly pageSize: number;
  /** Clock ticks per second of the time fields (USER_HZ, 100 on Linux). */
  readonly ticksPerSecond: number;
}

const buffer = Buffer.alloc(1024);

const readSmall = (file: string): string | null => {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    return buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
};

const readTable = (root: string): Map<number, ProcStat> => {
  const table = new Map<number, ProcStat>();
  for (const entry of readdirSync(root)) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const text = readSmall(`${root}/${entry}/stat`);
    const stat = text === null ? null : parseStat(text);
    if (stat !== null) table.set(stat.pid, stat);
  }
  return table;
};

const pageSizeOf = (root: string): number => {
  try {
    const pages = parseStatmResident(readFileSync(`${root}/self/statm`, 'latin1'));
    const bytes = parseStatusRss(readFileSync(`${root}/self/status`, 'latin1'));
    return (pages === null || bytes === null ? null : pageSizeFrom(pages, bytes)) ?? 4096;
  } catch {
    return 4096;
  }
};

/**
 * The host's /proc, or null where there is none (macOS): then no figures are measured. USER_HZ
 * is 100 on every Linux architecture Node runs on (the kernel exports a fixed value to userspace).
 */
export const procSource = (root = '/proc'): ProcSource | null => {
  if (!existsSync(`${root}/self/stat`)) return null;
  return { table: () => readTable(root), pageSize: pageSizeOf(root), ticksPerSecond: 100 };
};
