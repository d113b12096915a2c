import type { ManagedProcess } from '../process/index.js';
import type { Target } from './supervisor.js';

// depends_on at run time: names resolve against the groups the supervisor holds now (a group name
// means all its processes, a program name all processes of that program), so a reload that adds
// numprocs is seen without re-reading anything. The config loader has already rejected unknown
// names and cycles.

/** The processes `target` depends on, in start order. */
export const dependenciesOf = (all: readonly Target[], target: Target): Target[] => {
  const names = target.entry.proc.config.dependsOn;
  if (names.length === 0) return [];
  return all.filter((t) =>
    names.some((name) => t.group.config.name === name || t.entry.proc.config.program === name),
  );
};

/** Processes that depend on `target` (directly). */
export const dependentsOf = (all: readonly Target[], target: Target): Target[] =>
  all.filter((t) => dependenciesOf(all, t).some((d) => d.entry === target.entry));

/**
 * Stop order: waves of processes whose dependents are all stopped already. Within the processes
 * free to stop, `level` picks which go together (shutdown: the highest priority; stop all: all).
 */
export const stopWaves = (targets: readonly Target[], level: (free: Target[]) => Target[]): Target[][] => {
  const waves: Target[][] = [];
  let remaining = [...targets];
  while (remaining.length > 0) {
    const left = remaining;
    const free = left.filter((t) => !dependentsOf(left, t).some((d) => d.entry !== t.entry));
    const wave = level(free.length > 0 ? free : left);
    waves.push(wave);
    remaining = left.filter((t) => !wave.includes(t));
  }
  return waves;
};

/** Shutdown's level: the highest group priority among the free processes, in reverse order. */
export const highestPriority = (free: Target[]): Target[] => {
  const top = Math.max(...free.map((t) => t.group.config.priority));
  return free.filter((t) => t.group.config.priority === top).toReversed();
};

export const describeWait = (p: ManagedProcess, name: string): string => `${name} (${p.state})`;

/** Start order: dependencies before their dependents, otherwise the given (priority) order. */
export const startOrder = (targets: readonly Target[]): Target[] => {
  const all = targets;
  if (!all.some((t) => t.entry.proc.config.dependsOn.length > 0)) return [...targets];
  return stopWaves(targets, (free) => free)
    .toReversed()
    .flat();
};
