// The last step of a load: warnings that look at the whole config, then a deep freeze.
import { deepFreeze } from './freeze.js';
import { warn, type LoadState } from './state.js';
import type { Config, SourceRef, UserSpec } from './types.js';
import { inertWarnings } from './inert.js';
import { unknownNameWarnings } from './warnings.js';

// supervisord can only switch users when it runs as root (or is that user already).
const userWarnings = (state: LoadState, config: Config): void => {
  if (state.isRoot) return;
  const check = (user: UserSpec | null, at: SourceRef, section: string): void => {
    if (user === null || user.uid === state.paths.uid) return;
    const message = `user=${user.name} needs a daemon running as root; without it the process cannot start`;
    warn(state, { ...at, section, key: 'user', message });
  };
  check(config.supervisord.user, config.supervisord.source, 'supervisord');
  const seen = new Set<string>();
  for (const p of config.groups.flatMap((g) => g.processes)) {
    const section = `${p.kind}:${p.program}`;
    if (!seen.has(section)) check(p.user, p.source, section);
    seen.add(section);
  }
};

const dedupe = <T extends { message: string; file: string; line: number }>(items: readonly T[]): T[] => {
  const seen = new Set<string>();
  return items.filter((w) => {
    const id = `${w.file}:${w.line}:${w.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};

/** Adds the whole-config warnings and freezes the result: the one exit of a load. */
export const freezeConfig = (state: LoadState, config: Config): Config => {
  userWarnings(state, config);
  const warnings = dedupe([
    ...unknownNameWarnings(state.store),
    ...state.warnings,
    ...inertWarnings(state.store),
  ]);
  return deepFreeze({ ...config, warnings });
};
