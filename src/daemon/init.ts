import { setTimeout as sleep } from 'node:timers/promises';
import { TendError } from '../errors/index.js';
import {
  signaller,
  startOrphanReaper,
  type LifecycleLog,
  type OrphanReaper,
  type ReapedOrphan,
  type Spawner,
} from '../process/index.js';

// tend as a container's init (docs/containers.md): as PID 1, or with `--subreaper` anywhere,
// processes orphaned below the daemon are re-parented to it and reaped (no zombies pile up); at
// the end, orphans still running are stopped too (TERM, then KILL after ORPHAN_GRACE_MS), and
// the exit code says whether everything stopped cleanly: a stop that needed SIGKILL is not clean.


const ORPHAN_GRACE_MS = 5000;
const POLL_MS = 100;

export interface InitRole {
  /** Whether the daemon reaps orphans (PID 1 or --subreaper). */
  readonly active: boolean;
  /** Counts SIGKILLs sent after a first signal to the same pid or group, from `beginShutdown`. */
  audit(spawner: Spawner): Spawner;
  beginShutdown(): void;
  /** Stops what orphans are still running; resolves when none is left (or they were killed). */
  stopOrphans(): Promise<void>;
  /** Whether everything stopped without SIGKILL (programs, their groups, orphans). */
  readonly clean: boolean;
  close(): void;
}

const describeOrphan = (orphan: ReapedOrphan): string =>
  orphan.signal === null ? `exit status ${orphan.code ?? '?'}` : `terminated by ${orphan.signal}`;

const startReaper = (subreaper: boolean, log: LifecycleLog): OrphanReaper | null => {
  const mode = process.pid === 1 ? 'pid1' : 'subreaper';
  const onReaped = (orphan: ReapedOrphan): void => {
    log('debug', `reaped orphan ${orphan.pid} (${describeOrphan(orphan)})`, { pid: orphan.pid });
  };
  try {
    const reaper = startOrphanReaper(mode, onReaped);
    log(
      'info',
      mode === 'pid1'
        ? 'running as PID 1: reaping orphaned processes'
        : 'subreaper: reaping orphaned processes',
    );
    return reaper;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (subreaper && mode === 'subreaper') throw new TendError('CONFIG_INVALID', `--subreaper: ${why}`);
    log('warn', `running as PID 1, but ${why}: zombies will pile up`);
    return null;
  }
};

const waitGone = async (reaper: OrphanReaper, ms: number): Promise<number[]> => {
  const deadline = Date.now() + ms;
  let live = reaper.liveOrphans();
  while (live.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    live = reaper.liveOrphans();
  }
  return live;
};

const signalAll = (pids: readonly number[], signal: string): void => {
  for (const pid of pids) {
    try {
      signaller.kill(pid, signal, false);
    } catch {
      // Not ours to signal (EPERM): it is counted as left over.
    }
  }
};

const stopOrphansWith = async (reaper: OrphanReaper, log: LifecycleLog): Promise<boolean> => {
  const live = reaper.liveOrphans();
  if (live.length === 0) return true;
  log('info', `stopping orphaned processes left behind: ${live.join(' ')}`);
  signalAll(live, 'TERM');
  const stubborn = await waitGone(reaper, ORPHAN_GRACE_MS);
  if (stubborn.length === 0) return true;
  log('warn', `killing orphaned processes with SIGKILL: ${stubborn.join(' ')}`);
  signalAll(stubborn, 'KILL');
  await waitGone(reaper, ORPHAN_GRACE_MS);
  return false;
};

const auditing = (
  inner: Spawner,
  state: { shutdown: boolean; signalled: Set<number>; forced: number },
): Spawner => ({
  spawn: (request) => inner.spawn(request),
  probe: (pid, group) => inner.probe(pid, group),
  kill: (pid, signal, group) => {
    if (state.shutdown) {
      if (signal === 'KILL' && state.signalled.has(pid)) state.forced += 1;
      state.signalled.add(pid);
    }
    return inner.kill(pid, signal, group);
  },
});

/** The daemon's role as an init: active as PID 1 or with `subreaper`, inert otherwise. */
export const takeInitRole = (subreaper: boolean, log: LifecycleLog): InitRole => {
  const active = subreaper || process.pid === 1;
  const reaper = active ? startReaper(subreaper, log) : null;
  const state = { shutdown: false, signalled: new Set<number>(), forced: 0 };
  let orphansClean = true;
  return {
    active,
    audit: (spawner) => auditing(spawner, state),
    beginShutdown: () => {
      state.shutdown = true;
    },
    stopOrphans: async () => {
      if (reaper !== null) orphansClean = await stopOrphansWith(reaper, log);
    },
    get clean() {
      return state.forced === 0 && orphansClean;
    },
    close: () => reaper?.close(),
  };
};
