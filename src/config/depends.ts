// depends_on across the whole config: every name must be a [program:x] (or listener, fcgi-program)
// or a group, and the graph between programs must have no cycle. Both are config errors that
// point at the depends_on line, like every other error of the loader.
import { configError, raw } from './reader.js';
import { report } from './sink.js';
import type { ConfigError } from './errors.js';
import { readerFor, type LoadState } from './state.js';
import type { GroupConfig, ProcessConfig } from './types.js';

const sectionOf = (p: ProcessConfig): string => `${p.kind}:${p.program}`;

/** The sections a depends_on name stands for: a whole group, else every program of that name. */
export const sectionsNamed = (groups: readonly GroupConfig[], name: string): string[] => {
  const group = groups.find((g) => g.name === name);
  const processes = group?.processes ?? groups.flatMap((g) => g.processes).filter((p) => p.program === name);
  return [...new Set(processes.map(sectionOf))];
};

const failAt = (state: LoadState, section: string, reason: string): ConfigError => {
  const r = readerFor(state, section);
  return configError(
    r,
    { key: 'depends_on', located: raw(r, 'depends_on'), expected: 'names of programs or groups' },
    reason,
  );
};

const edgesOf = (state: LoadState, groups: readonly GroupConfig[]): Map<string, string[]> => {
  const edges = new Map<string, string[]>();
  for (const p of groups.flatMap((g) => g.processes)) {
    const section = sectionOf(p);
    if (edges.has(section)) continue;
    const targets = p.dependsOn.flatMap((name) => {
      const found = sectionsNamed(groups, name);
      // A checking load reports each unknown name and leaves it out of the graph.
      if (found.length === 0) report(state, failAt(state, section, `unknown program or group '${name}'`));
      return found;
    });
    edges.set(section, targets);
  }
  return edges;
};

const findCycle = (edges: ReadonlyMap<string, readonly string[]>): string[] | null => {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = path.indexOf(node);
    if (at !== -1) return [...path.slice(at), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== null) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle !== null) return cycle;
  }
  return null;
};

const shortName = (section: string): string => section.slice(section.indexOf(':') + 1);

/** A ConfigError at the depends_on line for an unknown name or a cycle (thrown, or recorded). */
export const checkDependencies = (state: LoadState, groups: readonly GroupConfig[]): void => {
  const edges = edgesOf(state, groups);
  const cycle = findCycle(edges);
  if (cycle === null) return;
  const [first = ''] = cycle;
  report(state, failAt(state, first, `dependency cycle: ${cycle.map(shortName).join(' → ')}`));
};
