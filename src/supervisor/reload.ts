import type { Config, ProcessConfig } from '../config/types.js';
import { STOPPED_STATES } from '../process/index.js';
import { startOrder, stopWaves } from './dependencies.js';
import { diffProcesses, processKey } from './diff.js';
import { closeEntry, type ProcessEntry } from './entries.js';
import { stopped, waitFor } from './wait.js';
import { beginRollouts, planRollouts } from './rolling.js';
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
  /** Changed processes that are replaced by a rolling restart (started, not awaited). */
  readonly rolling: readonly string[];
}

// A changed process rolls when its new config says so and it runs now; a program that stopped
// or that a reload adds or removes is handled as any other.
const rollsOnReload = (t: Target, next: ReadonlyMap<string, ProcessConfig>): boolean => {
  const config = next.get(processKey(t.entry.proc.config));
  return (
    config?.restartStrategy === 'rolling' &&
    config.program === t.entry.proc.config.program &&
    t.entry.proc.state === 'RUNNING'
  );
};

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

const rolledOnReload = (
  sup: Supervisor,
  changed: readonly ProcessConfig[],
  next: Config,
): { rolledKeys: Set<string>; nextConfigs: Map<string, ProcessConfig> } => {
  const nextConfigs = new Map(
    next.groups.flatMap((g) => g.processes.map((p) => [processKey(p), p] as const)),
  );
  const changedKeys = new Set(changed.map(processKey));
  const rolled = sup
    .targets()
    .filter((t) => changedKeys.has(processKey(t.entry.proc.config)) && rollsOnReload(t, nextConfigs));
  return { rolledKeys: new Set(rolled.map((t) => processKey(t.entry.proc.config))), nextConfigs };
};

// Their old entries stayed in the table under the new group config; the rollouts replace them.
const beginReloadRollouts = (
  sup: Supervisor,
  rolledKeys: ReadonlySet<string>,
  nextConfigs: ReadonlyMap<string, ProcessConfig>,
): void => {
  const stillThere = sup.targets().filter((t) => rolledKeys.has(processKey(t.entry.proc.config)));
  const nextOf = (t: Target): ProcessConfig =>
    nextConfigs.get(processKey(t.entry.proc.config)) ?? t.entry.proc.config;
  beginRollouts(sup, planRollouts(stillThere, 'reload', nextOf));
};

// Entries that stay (unchanged, or rolled later); the replaced ones are closed.
const keptEntries = (
  sup: Supervisor,
  current: readonly Target[],
  replaced: ReadonlySet<string>,
): Map<string, ProcessEntry> => {
  const kept = new Map<string, ProcessEntry>();
  for (const { entry } of current) {
    const key = processKey(entry.proc.config);
    if (replaced.has(key)) sup.gate.cancel(entry.proc);
    if (replaced.has(key)) closeEntry(entry);
    else kept.set(key, entry);
  }
  return kept;
};

export const applyReload = async (sup: Supervisor, next: Config): Promise<ReloadReport> => {
  // A new socket that cannot be opened fails the reload before anything is stopped.
  sup.sockets.ensure(next.groups.flatMap((g) => g.processes));
  // Against what runs, not the last config read: a `reread` may have replaced that already.
  const diff = diffProcesses(
    sup.groups().map((g) => g.config),
    next.groups,
  );
  // This reload decides what they run: a rollout still going is stopped where it is.
  await sup.rollouts.abortAll('a reload replaced the config');
  const { rolledKeys, nextConfigs } = rolledOnReload(sup, diff.changed, next);
  const replaced = new Set([
    ...diff.removed,
    ...diff.changed.map(processKey).filter((k) => !rolledKeys.has(k)),
  ]);
  const current = sup.targets();
  const leaving = current.filter((t) => replaced.has(processKey(t.entry.proc.config)));
  // Running ones come back, and so does a start still held for its dependencies.
  const restart = new Set(
    leaving
      .filter((t) => !STOPPED_STATES.has(t.entry.proc.state) || sup.gate.isWaiting(t.entry.proc))
      .map((t) => processKey(t.entry.proc.config)),
  );
  for (const wave of stopWaves(leaving, (free) => free.toReversed())) await stopAndWait(wave);

  const kept = keptEntries(sup, current, replaced);
  sup.setConfig(next);
  sup.replaceGroups(next.groups, (config) => kept.get(processKey(config)));

  const added = new Set(diff.added.map(processKey));
  for (const target of startOrder(sup.targets())) {
    const p = target.entry.proc;
    const key = processKey(p.config);
    if (restart.has(key) || (added.has(key) && p.config.autostart)) sup.gate.start(target);
  }
  beginReloadRollouts(sup, rolledKeys, nextConfigs);
  return {
    added: diff.added.map(processKey),
    changed: diff.changed.map(processKey),
    removed: diff.removed,
    unchanged: diff.unchanged.length,
    rolling: [...rolledKeys],
  };
};
