import { ProcessStates, describe } from '../process/index.js';
import type { ProcessEntry } from './entries.js';
import type { ProcessInfo } from './results.js';

const seconds = (ms: number): number => Math.floor(ms / 1000);

export const processInfo = (entry: ProcessEntry, nowMs: number): ProcessInfo => {
  const p = entry.proc;
  const start = seconds(p.laststart);
  const stop = seconds(p.laststop);
  const now = seconds(nowMs);
  return {
    name: p.config.name,
    group: p.config.group,
    start,
    stop,
    now,
    state: ProcessStates[p.state],
    statename: p.state,
    spawnerr: p.spawnerr,
    exitstatus: p.exitstatus ?? 0,
    logfile: entry.stdout.path ?? '',
    stdout_logfile: entry.stdout.path ?? '',
    stderr_logfile: entry.stderr.path ?? '',
    pid: p.pid,
    description: describe({
      state: p.state,
      pid: p.pid,
      start,
      stop,
      now,
      spawnerr: p.spawnerr,
      name: p.config.name,
    }),
  };
};
