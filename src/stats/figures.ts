import type { ProcessStats } from '../protocol/process-info.js';
import type { ProcSource } from './scan.js';
import type { TreeUsage } from './tree.js';

// From two passes to a program's figures: CPU% is the tree's CPU time between them over the
// wall time between them, as top computes it.

/** One sampling pass: each program's tree usage, by key (namespec), at one time. */
export interface Pass {
  /** Epoch ms. */
  readonly at: number;
  readonly usage: ReadonlyMap<string, TreeUsage & { readonly pid: number }>;
}

/** The figures of `key` at `next`, with CPU% against `prev` when that saw the same process. */
export const figuresBetween = (
  prev: Pass | null,
  next: Pass,
  key: string,
  units: Pick<ProcSource, 'pageSize' | 'ticksPerSecond'>,
): ProcessStats | null => {
  const now = next.usage.get(key);
  if (now === undefined) return null;
  const before = prev?.usage.get(key);
  const same = before !== undefined && before.pid === now.pid && before.rootStart === now.rootStart;
  const seconds = prev === null ? 0 : (next.at - prev.at) / 1000;
  const cpuPercent =
    same && seconds > 0
      ? Math.max(0, ((now.ticks - before.ticks) / units.ticksPerSecond / seconds) * 100)
      : null;
  return {
    cpuPercent,
    cpuSeconds: now.ticks / units.ticksPerSecond,
    rssBytes: now.rssPages * units.pageSize,
    pids: now.pids,
    sampledAt: next.at,
  };
};
