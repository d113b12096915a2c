import { constants } from 'node:os';
import { loadNative, type NativeAddon, type NativeExit } from './native.js';

// tend as a container's PID 1 or as a subreaper (prctl PR_SET_CHILD_SUBREAPER): processes whose
// parent dies are re-parented to the daemon, and their exits must be collected or they stay
// zombies. The addon reaps exactly those orphans (never a child that tend's spawners or libuv
// wait for, see native/src/reaper.c) after each SIGCHLD.

export type ReaperMode = 'pid1' | 'subreaper';

export interface ReapedOrphan {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface OrphanReaper {
  readonly mode: ReaperMode;
  /** Orphans re-parented to the daemon that have not exited yet. */
  liveOrphans(): number[];
  /** Reaps what has exited now (the SIGCHLD-driven reaping does the same a moment later). */
  reapNow(): ReapedOrphan[];
  close(): void;
}

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

const toOrphan = (exit: NativeExit): ReapedOrphan => ({
  pid: exit.pid,
  code: exit.code,
  signal: exit.signal === null ? null : (SIGNAL_NAMES.get(exit.signal) ?? null),
});

const reaperOver = (
  addon: NativeAddon,
  mode: ReaperMode,
  onReaped: (orphan: ReapedOrphan) => void,
): OrphanReaper => {
  if (mode === 'subreaper') addon.setSubreaper(true);
  addon.startReaper((exits) => {
    for (const exit of exits) onReaped(toOrphan(exit));
  });
  return {
    mode,
    liveOrphans: () => {
      const reaped = addon.reapOrphans();
      for (const exit of reaped) onReaped(toOrphan(exit));
      return addon.orphans();
    },
    reapNow: () => {
      const reaped = addon.reapOrphans().map(toOrphan);
      for (const orphan of reaped) onReaped(orphan);
      return reaped;
    },
    close: () => {
      addon.stopReaper();
      if (mode === 'subreaper') addon.setSubreaper(false);
    },
  };
};

/**
 * Starts reaping orphans; in `subreaper` mode also makes the daemon a subreaper. Throws an Error
 * saying why where the native addon cannot load (child_process cannot wait for a process it did
 * not start).
 */
export const startOrphanReaper = (
  mode: ReaperMode,
  onReaped: (orphan: ReapedOrphan) => void,
): OrphanReaper => {
  const { addon, reason } = loadNative();
  if (addon === null)
    throw new Error(`orphans cannot be reaped: the native addon is unavailable (${reason})`);
  return reaperOver(addon, mode, onReaped);
};
