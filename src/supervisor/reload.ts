import type { Config } from '../config/types.js';
import { STOPPED_STATES } from '../process/index.js';
import { startOrder, stopWaves } from './dependencies.js';
import { diffProcesses, processKey } from './diff.js';
import { closeEntry, type ProcessEntry } from './entries.js';
import { stopped, waitFor } from './wait.js';
import type { Supervisor, Target } from './supervisor.js';

// tend's reload (SIGHUP): apply a new config by difference. Processes whose resolved config is
// unchanged keep running untouched (same pid); removed ones stop; changed ones stop and come back
// with the new config if they were running; added ones start if autostart. supervisord instead
// restarts everything on SIGHUP.

export interface ReloadReport {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
}

export const stopAndWait = async (targets: readonly Target[]): Promise<void> => {
  await Promise.all(
    targets.map(async ({ entry }) => {
      const p = entry.proc;
      if (STOPPED_STATES.has(p.state) && !p.hasPendingTimer) return;
      if (p.state !== 'STOPPING') p.dispatch({ type: 'stop' });
      await waitFor(p, stopped);
    }),
  );
};

export const applyReload = async (sup: Supervisor, next: Config): Promise<ReloadReport> => {
  // A new socket that cannot be opened fails the reload before anything is stopped.
  sup.sockets.ensure(next.groups.flatMap((g) => g.processes));
  // Against what runs, not the last config read: a `reread` may have replaced that already.
  const diff = diffProcesses(
    sup.groups().map((g) => g.config),
    next.groups,
  );
  const replaced = new Set([...diff.removed, ...diff.changed.map(processKey)]);
  const current = sup.targets();
  const leaving = current.filter((t) => replaced.has(processKey(t.entry.proc.config)));
  // Running ones come back, and so does a start still held for its dependencies.
  const restart = new Set(
    leaving
      .filter((t) => !STOPPED_STATES.has(t.entry.proc.state) || sup.gate.isWaiting(t.entry.proc))
      .map((t) => processKey(t.entry.proc.config)),
  );
  for (const wave of stopWaves(leaving, (free) => free.toReversed())) await stopAndWait(wave);

  const kept = new Map<string, ProcessEntry>();
  for (const { entry } of current) {
    const key = processKey(entry.proc.config);
    if (replaced.has(key)) sup.gate.cancel(entry.proc);
    if (replaced.has(key)) closeEntry(entry);
    else kept.set(key, entry);
  }
  sup.setConfig(next);
  sup.replaceGroups(next.groups, (config) => kept.get(processKey(config)));

  const added = new Set(diff.added.map(processKey));
  for (const target of startOrder(sup.targets())) {
    const p = target.entry.proc;
    const key = processKey(p.config);
    if (restart.has(key) || (added.has(key) && p.config.autostart)) sup.gate.start(target);
  }
  return {
    added: diff.added.map(processKey),
    changed: diff.changed.map(processKey),
    removed: diff.removed,
    unchanged: diff.unchanged.length,
  };
};
