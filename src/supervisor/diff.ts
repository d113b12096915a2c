import type { Config, GroupConfig, ProcessConfig } from '../config/types.js';

// What a reload changes. tend diffs per process, so a change to one member of a heterogeneous
// group restarts that member only (supervisord restarts the whole group, #591/#1154). The group
// diff that supervisord's reloadConfig reports is kept for the XML-RPC API.

/** Structural equality of resolved config values, ignoring where they were written. */
export const sameConfig = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => k !== 'source');
  const kb = Object.keys(b).filter((k) => k !== 'source');
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameConfig(ra[k], rb[k]));
};

export const processKey = (config: ProcessConfig): string => `${config.group}:${config.name}`;

export interface ProcessDiff {
  readonly added: readonly ProcessConfig[];
  readonly changed: readonly ProcessConfig[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

const allProcesses = (groups: readonly GroupConfig[]): Map<string, ProcessConfig> =>
  new Map(groups.flatMap((g) => g.processes.map((p) => [processKey(p), p] as const)));

export const diffProcesses = (before: readonly GroupConfig[], after: readonly GroupConfig[]): ProcessDiff => {
  const old = allProcesses(before);
  const next = allProcesses(after);
  const added: ProcessConfig[] = [];
  const changed: ProcessConfig[] = [];
  const unchanged: string[] = [];
  for (const [key, config] of next) {
    const previous = old.get(key);
    if (previous === undefined) added.push(config);
    else if (sameConfig(previous, config)) unchanged.push(key);
    else changed.push(config);
  }
  const removed = [...old.keys()].filter((key) => !next.has(key));
  return { added, changed, removed, unchanged };
};

export interface GroupDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** supervisord's reloadConfig diff: groups compared by name, priority and every process config. */
export const diffGroups = (before: readonly GroupConfig[], after: Config['groups']): GroupDiff => {
  const old = new Map(before.map((g) => [g.name, g]));
  const next = new Map(after.map((g) => [g.name, g]));
  const added = [...next.keys()].filter((name) => !old.has(name));
  const removed = [...old.keys()].filter((name) => !next.has(name));
  const changed = [...next.keys()].filter((name) => {
    const previous = old.get(name);
    return previous !== undefined && !sameConfig(previous, next.get(name));
  });
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
};
