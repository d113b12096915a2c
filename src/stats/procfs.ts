// Pure parsers of Linux /proc text, so the sampler's arithmetic is tested on fixture text
// (proc(5)). Times are in clock ticks, memory in pages; the reader (scan.ts) knows the units.

/** The fields of /proc/PID/stat the sampler uses. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** R, S, D, Z, T… */
  readonly state: string;
  /** User and system time of the process itself, in clock ticks. */
  readonly utime: number;
  readonly stime: number;
  /** User and system time of its children that it has waited for, in clock ticks. */
  readonly cutime: number;
  readonly cstime: number;
  /** When it started, in clock ticks after boot: with the pid, who it is (pids are reused). */
  readonly starttime: number;
  /** Resident set size, in pages. */
  readonly rss: number;
}

/**
 * Parses /proc/PID/stat. The command name (field 2) is in parentheses and may itself hold spaces
 * and parentheses, so the fields are counted from the last `)`. Null for text that is not one.
 */
export const parseStat = (text: string): ProcStat | null => {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state); field n is f[n - 3].
  const n = (field: number): number => Number(f[field - 3]);
  const stat = {
    pid: Number(text.slice(0, open)),
    ppid: n(4),
    state: f[0] ?? '',
    utime: n(14),
    stime: n(15),
    cutime: n(16),
    cstime: n(17),
    starttime: n(22),
    rss: n(24),
  };
  return Object.values(stat).every((v) => typeof v === 'string' || Number.isFinite(v)) ? stat : null;
};

/** The resident pages of /proc/PID/statm (its second field). */
export const parseStatmResident = (text: string): number | null => {
  const value = Number(text.split(' ')[1]);
  return Number.isFinite(value) ? value : null;
};

/** VmRSS of /proc/PID/status, in bytes. */
export const parseStatusRss = (text: string): number | null => {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(text);
  return m === null ? null : Number(m[1]) * 1024;
};

/**
 * The page size, from one process's statm (pages) and status (bytes) read together: the nearest
 * power of two, so memory that changed between the two reads does not matter.
 */
export const pageSizeFrom = (residentPages: number, rssBytes: number): number | null => {
  if (residentPages <= 0 || rssBytes <= 0) return null;
  return 2 ** Math.round(Math.log2(rssBytes / residentPages));
};
