// Reads of /proc: memory and CPU of a daemon, and the process tree below it.
import { readFileSync, readdirSync } from 'node:fs';

// Clock ticks per second for utime/stime; 100 on every Linux the bench targets.
const CLK_TCK = 100;

// Fields of /proc/PID/stat after the command name, which may itself contain spaces or ')'.
const statFields = (pid) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
};

// { ppid, utime, stime, starttime } of a live process, or undefined once it is gone.
export const readStat = (pid) => {
  try {
    const f = statFields(pid);
    // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, starttime 22.
    return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), starttime: f[19] };
  } catch {
    return undefined;
  }
};

// Resident set size in KiB (VmRSS), 0 if the process is gone.
export const readRssKiB = (pid) => {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
};

// Every live descendant of `root` with its start time (to guard later kills against pid reuse).
// Subtrees rooted at a pid in `exclude` are left out.
export const descendants = (root, exclude = new Set()) => {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push({ pid: Number(entry), starttime: stat.starttime });
    children.set(stat.ppid, list);
  }
  const found = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      if (exclude.has(child.pid)) continue;
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
};

// The daemon and its helper processes: the daemon's tree minus the supervised programs (and
// anything below them). A system that delegates work to helpers (a spawner, a log writer) pays
// for them here.
export const daemonTree = (pid, programPids) => [
  pid,
  ...descendants(pid, new Set(programPids)).map((d) => d.pid),
];

// RSS of the daemon tree in MiB, and of the daemon process alone.
export const treeRssMiB = (pid, programPids) => ({
  total: daemonTree(pid, programPids).reduce((sum, p) => sum + readRssKiB(p), 0) / 1024,
  own: readRssKiB(pid) / 1024,
});

// CPU seconds (utime + stime) used so far by the daemon tree.
export const treeCpuSeconds = (pid, programPids) =>
  daemonTree(pid, programPids).reduce((sum, p) => {
    const stat = readStat(p);
    return stat ? sum + (stat.utime + stat.stime) / CLK_TCK : sum;
  }, 0);

// True while `pid` still names the process that had `starttime` when it was recorded.
export const isSameProcess = ({ pid, starttime }) => readStat(pid)?.starttime === starttime;
