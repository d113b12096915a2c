import type { Config } from '../config/types.js';
import { TendError, toTendError } from '../errors/index.js';
import { RUNNING_STATES } from '../process/index.js';
import { diffGroups, sameConfig, type GroupDiff } from './diff.js';
import { closeEntry } from './entries.js';
import { startOrder, stopWaves } from './dependencies.js';
import { addGroup, availableGroup, groupTargets, installGroup, isAtRest, removeGroup } from './groups.js';
import { settle, stopTarget } from './operations.js';
import type { OperationResult } from './results.js';
import type { Supervisor, Target } from './supervisor.js';

// `reread` and `update`, restarting only what changed. supervisorctl drives an update as
// reloadConfig, then for each changed group stopProcessGroup + removeProcessGroup +
// addProcessGroup (supervisord thereby restarts every member of a changed group, #591/#1154).
// Here those three steps act on the members whose config differs: stopLeaving stops only them,
// swapGroup replaces the group keeping every unchanged member's entry (same child, same pid),
// and startSwapped starts the replacements. Members come back as tend's SIGHUP reload brings
// them back: a changed member restarts if it was running, a new one starts if it autostarts.

/** reloadConfig: makes `next` the available config; reports how it differs from what runs. */
export const rereadConfig = (sup: Supervisor, next: Config): GroupDiff => {
  sup.assertRunning();
  sup.setConfig(next);
  return diffGroups(
    sup.groups().map((g) => g.config),
    next.groups,
  );
};

/** Members of an active group that an update replaces: changed, or gone from the config. */
export const leavingMembers = (sup: Supervisor, name: string): Target[] => {
  const next = new Map(availableGroup(sup, name)?.processes.map((p) => [p.name, p]) ?? []);
  return sup
    .targets()
    .filter((t) => t.group.config.name === name)
    .filter((t) => {
      const config = next.get(t.entry.proc.config.name);
      return config === undefined || !sameConfig(config, t.entry.proc.config);
    });
};

export interface StopReport {
  readonly results: OperationResult[];
  /** Names of the members that were running, to be started again once replaced. */
  readonly wereRunning: ReadonlySet<string>;
}

/**
 * Stops the leaving members of the named groups together, dependents before what they depend on
 * (when waiting; without waiting every stop is requested at once), and reports per group.
 */
const stopLeavingOf = async (
  sup: Supervisor,
  names: readonly string[],
  wait: boolean,
): Promise<Map<string, StopReport>> => {
  const leaving = names.flatMap((name) => leavingMembers(sup, name).filter((t) => !isAtRest(t.entry)));
  const running = leaving.filter((t) => RUNNING_STATES.has(t.entry.proc.state));
  const waves = wait ? stopWaves(leaving, (free) => free.toReversed()) : [leaving.toReversed()];
  const results: OperationResult[] = [];
  for (const wave of waves) {
    results.push(...(await Promise.all(wave.map((t) => settle(t, stopTarget(sup, t, wait))))));
  }
  return new Map(
    names.map((name) => [
      name,
      {
        results: results.filter((r) => r.group === name),
        wereRunning: new Set(
          running.filter((t) => t.group.config.name === name).map((t) => t.entry.proc.config.name),
        ),
      },
    ]),
  );
};

/** stopProcessGroup within an update: stops the leaving members only. */
export const stopLeaving = async (sup: Supervisor, name: string, wait: boolean): Promise<StopReport> => {
  sup.assertRunning();
  if (sup.group(name) === undefined)
    throw new TendError('BAD_NAME', `no such group: ${name}`, { faultDetail: name });
  return (await stopLeavingOf(sup, [name], wait)).get(name) as StopReport;
};

/**
 * removeProcessGroup within an update: puts the available config's version of the group in
 * place, keeping unchanged members. A group gone from the config is removed. Returns the
 * members to start: those that were running and every new one that autostarts.
 */
export const swapGroup = (sup: Supervisor, name: string, wereRunning: ReadonlySet<string>): Set<string> => {
  sup.assertRunning();
  const group = sup.group(name);
  const next = availableGroup(sup, name);
  if (group === undefined || next === undefined) {
    removeGroup(sup, name);
    return new Set();
  }
  const leaving = leavingMembers(sup, name);
  if (!leaving.every((t) => isAtRest(t.entry))) {
    throw new TendError('STILL_RUNNING', `group ${name} still has running processes`, { faultDetail: name });
  }
  const replaced = new Set(leaving.map((t) => t.entry.proc.config.name));
  // A start still held for its dependencies moves to the replacement: the closed entry must
  // never be started by the gate.
  const held = new Set(
    leaving.filter((t) => sup.gate.cancel(t.entry.proc)).map((t) => t.entry.proc.config.name),
  );
  for (const t of leaving) closeEntry(t.entry);
  installGroup(sup, next, (process) => (replaced.has(process) ? undefined : group.processes.get(process)));
  const starts = (p: { name: string; autostart: boolean }): boolean =>
    wereRunning.has(p.name) || held.has(p.name) || (!group.processes.has(p.name) && p.autostart);
  return new Set(next.processes.filter(starts).map((p) => p.name));
};

/**
 * addProcessGroup within an update: starts what swapGroup said to start, each through the start
 * gate, so a member with depends_on waits for its dependencies (starting them if stopped).
 */
export const startSwapped = (sup: Supervisor, name: string, start: ReadonlySet<string>): void => {
  sup.assertRunning();
  if (sup.group(name) === undefined)
    throw new TendError('BAD_NAME', `no such group: ${name}`, { faultDetail: name });
  for (const target of startOrder(groupTargets(sup, name))) {
    const p = target.entry.proc;
    if (start.has(p.config.name) && p.state === 'STOPPED') sup.gate.start(target);
  }
};

export interface UpdateReport extends GroupDiff {
  /** Per group, the results of stopping what left it. */
  readonly stopped: Readonly<Record<string, OperationResult[]>>;
}

/** The whole update in one call (JSON API, tend CLI): reread, then apply to `only` or to all. */
export const updateGroups = async (
  sup: Supervisor,
  next: Config,
  only: readonly string[] = [],
): Promise<UpdateReport> => {
  const diff = rereadConfig(sup, next);
  const wanted = (g: string): boolean => only.length === 0 || only.includes(g);
  const stopped: Record<string, OperationResult[]> = {};
  // All leaving members stop first (dependents first), then every group is swapped, then the
  // replacements start in dependency order: no start ever finds a dependency half-replaced.
  const names = [...diff.removed, ...diff.changed].filter((g) => wanted(g) && sup.group(g) !== undefined);
  const reports = await stopLeavingOf(sup, names, true);
  const starts = new Map<string, Set<string>>();
  for (const [name, { results, wereRunning }] of reports) {
    stopped[name] = results;
    if (results.some((r) => r.error !== null)) continue;
    // One group that cannot be swapped (a member started again meanwhile) does not keep the
    // others, already stopped, from coming back.
    try {
      starts.set(name, swapGroup(sup, name, wereRunning));
    } catch (error) {
      stopped[name] = [...results, { name, group: name, error: toTendError(error) }];
    }
  }
  for (const [name, start] of starts) if (sup.group(name) !== undefined) startSwapped(sup, name, start);
  for (const name of diff.added.filter(wanted)) {
    if (sup.group(name) === undefined) addGroup(sup, name);
  }
  return { ...diff, stopped };
};
