// Keys tend reads (so that a supervisord.conf loads unchanged) but does not act on yet. A config
// that sets one to anything but its default gets a warning, from the daemon and from `tend check`.
// An issue that implements a key removes its entry here; test/unit/config/inert.test.ts fails
// while an entry's `field` is read outside config/ (the key is then no longer inert).
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_SECTION, lookup, type IniStore } from './ini.js';
import type { PathEnv } from './paths.js';
import { sectionKindOf } from './sections.js';
import type { ConfigWarning } from './types.js';

export interface InertKey {
  /** Section kinds whose key it is: `program:` covers [program:x], [eventlistener:x], [fcgi-program:x]. */
  readonly sections: readonly string[];
  readonly key: string;
  /** The config field the loader fills from it, which nothing outside config/ acts on. */
  readonly field: string;
  /** What tend does not do, and what to do instead. */
  readonly why: string;
}

/** Every key tend reads is acted on today: the list is empty, and the mechanism waits for the next one. */
export const INERT_KEYS: readonly InertKey[] = [];

// Byte sizes and booleans need no paths; a value that does not convert is an error of its own.
const NO_PATHS: PathEnv = { cwd: '/', env: {}, users: { users: [], groups: [] }, uid: 0 };

const isDefault = (section: string, key: string, value: string): boolean => {
  const spec = sectionKindOf(section)?.keys[key];
  if (spec?.default == null) return false;
  try {
    return isDeepStrictEqual(spec.type.convert(value, NO_PATHS), spec.type.convert(spec.default, NO_PATHS));
  } catch {
    return true;
  }
};

const appliesTo = (k: InertKey, section: string): boolean =>
  k.sections.some((s) => (s.endsWith(':') ? section.startsWith(s) : section === s));

/** A warning for every inert key a section sets (itself or through [DEFAULT]) to a non-default value, in file order. */
export const inertWarnings = (store: IniStore, keys: readonly InertKey[] = INERT_KEYS): ConfigWarning[] =>
  [...store.sections.keys()]
    .flatMap((section) =>
      keys
        .filter((k) => appliesTo(k, section))
        .flatMap((k) => {
          const found = lookup(store, section, k.key);
          if (found === undefined || isDefault(section, k.key, found.value)) return [];
          const own = store.sections.get(section)?.values.get(k.key);
          const where = own === undefined || own.inherited ? DEFAULT_SECTION : section;
          const message = `${k.key} = ${found.value} has no effect: ${k.why}`;
          return [{ file: found.file, line: found.line, section: where, key: k.key, message }];
        }),
    )
    .sort((a, b) => (a.file === b.file ? a.line - b.line : 0));
