import type { ProcStat } from './procfs.js';

// A program's figures are those of its whole process tree: the process tend started and every
// descendant, found by parent pid in one table of the system's processes.

/** What one tree uses at one moment, in /proc's units. */
export interface TreeUsage {
  /**
   * CPU of the tree in clock ticks: each member's own time plus the time of children it reaped,
   * so a short-lived child's CPU stays counted after it exits.
   */
  readonly ticks: number;
  /** Resident pages of the live members (summed; shared pages count once per process). */
  readonly rssPages: number;
  readonly pids: number;
  /** The root's start time (ticks after boot): tells a reused pid from the process sampled before. */
  readonly rootStart: number;
}

const childrenOf = (table: ReadonlyMap<number, ProcStat>): Map<number, number[]> => {
  const children = new Map<number, number[]>();
  for (const p of table.values()) {
    const list = children.get(p.ppid);
    if (list === undefined) children.set(p.ppid, [p.pid]);
    else list.push(p.pid);
  }
  return children;
};

const usageOf = (
  root: ProcStat,
  table: ReadonlyMap<number, ProcStat>,
  children: Map<number, number[]>,
): TreeUsage => {
  let ticks = 0;
  let rssPages = 0;
  let pids = 0;
  const stack = [root.pid];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    const p = table.get(pid);
    if (p === undefined) continue;
    ticks += p.utime + p.stime + p.cutime + p.cstime;
    if (p.state !== 'Z') {
      rssPages += p.rss;
      pids += 1;
    }
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return { ticks, rssPages, pids, rootStart: root.starttime };
};

/** The usage of each root's tree; a root that is not in the table (it just exited) is left out. */
export const treeUsage = (
  roots: Iterable<number>,
  table: ReadonlyMap<number, ProcStat>,
): Map<number, TreeUsage> => {
  const children = childrenOf(table);
  const usage = new Map<number, TreeUsage>();
  for (const pid of roots) {
    const root = table.get(pid);
    if (root !== undefined) usage.set(pid, usageOf(root, table, children));
  }
  return usage;
};
