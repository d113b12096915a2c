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

// Fields of /proc/PID/stat (1-based, as proc(5) numbers them) the sampler reads.
const WANTED = [4, 14, 15, 16, 17, 22, 24] as const;

/**
 * Parses /proc/PID/stat. The command name (field 2) is in parentheses and may itself hold spaces
 * and parentheses, so fields are counted from the last `)`. Only the fields used are cut out:
 * this runs for every process of the system at every pass. Null for text that is not one.
 */
export const parseStat = (text: string): ProcStat | null => {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const values: number[] = [];
  let field = 3;
  let start = close + 2;
  for (const want of WANTED) {
    for (; field < want; field++) start = text.indexOf(' ', start) + 1;
    if (start === 0) return null;
    const end = text.indexOf(' ', start);
    values.push(Number(text.slice(start, end === -1 ? undefined : end)));
  }
  const [ppid = NaN, utime = NaN, stime = NaN, cutime = NaN, cstime = NaN, starttime = NaN, rss = NaN] =
    values;
  const pid = Number(text.slice(0, open));
  if (![pid, ...values].every(Number.isFinite) || values.length !== WANTED.length) return null;
  return { pid, ppid, state: text.charAt(close + 2), utime, stime, cutime, cstime, starttime, rss };
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
