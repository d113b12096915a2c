// Process groups (options.py process_groups_from_parser): [group:x] first, then every program,
// listener and fcgi-program section not claimed by a group, then a stable sort by
// (priority, name). A [group:x] keeps its programs in the order it lists them.
import { configError, need, raw, sectionRef, type Reader } from '../reader.js';
import { GROUP_KEYS as G, PROGRAM_KEYS as P } from '../schema.js';
import { pyCompare } from '../pystr.js';
import { orSkip } from '../sink.js';
import { readerWithHere, sectionsWith, warn, type LoadState } from '../state.js';
import type { GroupConfig } from '../types.js';
import { readFcgiSocket } from './fcgi.js';
import { readListenerPool } from './listener.js';
import { processesFromSection, programName } from './program.js';

type Env = Readonly<Record<string, string>>;

const memberSection = (state: LoadState, r: Reader, program: string): string => {
  const plain = `program:${program}`;
  const fcgi = `fcgi-program:${program}`;
  const has = (s: string): boolean => state.store.sections.has(s);
  const at = { key: 'programs', located: raw(r, 'programs') };
  if (!has(plain) && !has(fcgi))
    throw configError(r, at, `[${r.section}] names unknown program or fcgi-program ${program}`);
  if (has(plain) && has(fcgi)) {
    throw configError(
      r,
      at,
      `[${r.section}] name ${program} is ambiguous (exists as program and fcgi-program)`,
    );
  }
  if (has(fcgi)) {
    const message = `listed in [${r.section}], so (as in supervisord) it runs as a plain program without its socket`;
    warn(state, { ...sectionRef(state.store, fcgi), section: fcgi, message });
  }
  return has(plain) ? plain : fcgi;
};

// A checking load leaves out a section it cannot read (its errors recorded) and reads the next.
const eachSection = <T>(state: LoadState, sections: readonly string[], read: (section: string) => T): T[] =>
  sections.flatMap((section) =>
    orSkip(
      state,
      () => [read(section)],
      () => [],
    ),
  );

const heterogeneous = (state: LoadState, env: Env, claimed: Set<string>): GroupConfig[] =>
  eachSection(state, sectionsWith(state, 'group:'), (section) => {
    const r = readerWithHere(state, section);
    const name = programName(state, section);
    const programs = need(r, G.programs);
    const priority = need(r, G.priority);
    const processes = programs.flatMap((program) =>
      orSkip(
        state,
        () => {
          const member = memberSection(state, r, program);
          claimed.add(member);
          const p = { section: member, group: name, kind: 'program', globalEnvironment: env } as const;
          return processesFromSection(state, p);
        },
        () => [],
      ),
    );
    return { name, priority, origin: 'group', processes, source: r.at };
  });

const programs = (state: LoadState, env: Env, claimed: Set<string>): GroupConfig[] =>
  eachSection(
    state,
    sectionsWith(state, 'program:').filter((section) => !claimed.has(section)),
    (section) => {
      const name = programName(state, section);
      const r = readerWithHere(state, section);
      const priority = need(r, P.priority);
      const processes = processesFromSection(state, {
        section,
        group: name,
        kind: 'program',
        globalEnvironment: env,
      });
      return { name, priority, origin: 'program', processes, source: r.at };
    },
  );

const listeners = (state: LoadState, env: Env): GroupConfig[] =>
  eachSection(state, sectionsWith(state, 'eventlistener:'), (section) => {
    const name = section.slice('eventlistener:'.length);
    const { priority, config } = readListenerPool(state, section);
    const p = {
      section,
      group: name,
      kind: 'eventlistener',
      globalEnvironment: env,
      eventlistener: config,
    } as const;
    return {
      name,
      priority,
      origin: 'eventlistener',
      processes: processesFromSection(state, p),
      source: sectionRef(state.store, section),
    };
  });

const fcgiPrograms = (state: LoadState, env: Env, claimed: Set<string>): GroupConfig[] =>
  eachSection(
    state,
    sectionsWith(state, 'fcgi-program:').filter((section) => !claimed.has(section)),
    (section) => {
      const name = programName(state, section);
      const { priority, config } = readFcgiSocket(state, section, name);
      const p = { section, group: name, kind: 'fcgi-program', globalEnvironment: env, fcgi: config } as const;
      return {
        name,
        priority,
        origin: 'fcgi-program',
        processes: processesFromSection(state, p),
        source: sectionRef(state.store, section),
      };
    },
  );

const warnDuplicates = (state: LoadState, groups: readonly GroupConfig[]): void => {
  const seen = new Set<string>();
  for (const g of groups) {
    if (seen.has(g.name)) {
      const message = `group name ${g.name} is used twice; supervisord keeps only the first one it adds`;
      warn(state, { ...g.source, section: g.name, message });
    }
    seen.add(g.name);
  }
};

/** Every group, sorted by (priority, name) as supervisord sorts its group configs. */
export const readGroups = (state: LoadState, env: Env): GroupConfig[] => {
  const claimed = new Set<string>();
  const groups = [
    ...heterogeneous(state, env, claimed),
    ...programs(state, env, claimed),
    ...listeners(state, env),
    ...fcgiPrograms(state, env, claimed),
  ].sort((a, b) => a.priority - b.priority || pyCompare(a.name, b.name));
  warnDuplicates(state, groups);
  return groups;
};
