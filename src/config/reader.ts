// supervisord's `get(section, key, default)`: a value from the section or [DEFAULT], %-expanded
// with the names that supervisord makes available at that point, then converted. Every failure
// becomes a ConfigError that points at the line that holds the value.
import { ConfigError } from './errors.js';
import { abandonSection, recover, type ErrorSink } from './sink.js';
import { expand, FormatError, type Names } from './expand.js';
import { lookup, type IniStore } from './ini.js';
import type { PathEnv } from './paths.js';
import { PyValueError } from './pystr.js';
import type { KeySpec } from './schema.js';
import type { SourceRef } from './types.js';

export interface Reader extends ErrorSink {
  readonly store: IniStore;
  readonly section: string;
  /** The section header, where errors about missing or defaulted values point. */
  readonly at: SourceRef;
  readonly names: Names;
  readonly paths: PathEnv;
}

/** A value as written, with where it was written. */
export interface Located {
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

export const sectionRef = (store: IniStore, section: string): SourceRef => {
  const found = store.sections.get(section);
  return { file: found?.file ?? '', line: found?.line ?? 0 };
};

export const raw = (r: Reader, key: string): Located | undefined => lookup(r.store, r.section, key);

interface FailAt {
  readonly key?: string | undefined;
  readonly located?: Located | undefined;
  readonly expected?: string | undefined;
}

/** A ConfigError at the value's line, or the section header when the value is a default. */
export const configError = (r: Reader, at: FailAt, reason: string): ConfigError =>
  new ConfigError(
    {
      file: at.located?.file ?? r.at.file,
      line: at.located?.line ?? r.at.line,
      section: r.section,
      key: at.key,
      value: at.located?.value,
      expected: at.expected,
    },
    reason,
  );

/** Expands `template` (from `located`, or a default), turning a FormatError into a ConfigError. */
export const expandAt = (
  r: Reader,
  at: FailAt & { label: string; names?: Names },
  template: string,
): string =>
  recover(
    r,
    () => expandStrict(r, at, template),
    () => template,
  );

const expandStrict = (r: Reader, at: FailAt & { label: string; names?: Names }, template: string): string => {
  try {
    return expand(template, at.names ?? r.names, at.label);
  } catch (error) {
    if (error instanceof FormatError) throw configError(r, at, error.message);
    throw error;
  }
};

/** saneget: the expanded value of `key`, or undefined when neither the section nor [DEFAULT] has it. */
export const expanded = (
  r: Reader,
  key: string,
  names?: Names,
): { value: string; written: Located } | undefined => {
  const written = raw(r, key);
  if (written === undefined) return undefined;
  const label = `${r.section}.${key}`;
  const value = expandAt(
    r,
    { key, located: written, label, ...(names === undefined ? {} : { names }) },
    written.value,
  );
  return { value, written };
};

/**
 * Runs a converter, blaming the value's line (or the section header for a default). A checking
 * load goes on as if a bad value were not written; without a default the section is given up.
 */
export const convertAt = <T>(
  r: Reader,
  spec: KeySpec<T>,
  at: { located?: Located | undefined; value: string },
): T =>
  recover(
    r,
    () => convertStrict(r, spec, at),
    () =>
      spec.default === null || at.located === undefined
        ? abandonSection()
        : convertStrict(r, spec, { value: spec.default }),
  );

const convertStrict = <T>(
  r: Reader,
  spec: KeySpec<T>,
  at: { located?: Located | undefined; value: string },
): T => {
  try {
    return spec.type.convert(at.value, r.paths);
  } catch (error) {
    if (error instanceof PyValueError) {
      const located =
        spec.type.secret === true && at.located !== undefined
          ? { ...at.located, value: '(not shown)' }
          : at.located;
      throw configError(r, { key: spec.key, located, expected: spec.type.expected }, error.message);
    }
    throw error;
  }
};

/**
 * The converted value of spec.key: its expanded value when set, else the spec's default, else
 * null. A checking load reads a value it could not expand or convert as if it were not written.
 */
export const read = <T>(r: Reader, spec: KeySpec<T>): T | null => {
  const before = r.errors?.length ?? 0;
  const found = expanded(r, spec.key);
  const written = (r.errors?.length ?? 0) === before ? found : undefined;
  const value = written?.value ?? spec.default;
  if (value === null) return null;
  return recover(
    r,
    () => convertStrict(r, spec, { located: written?.written, value }),
    () => (spec.default === null ? null : convertStrict(r, spec, { value: spec.default })),
  );
};

/** Like read(), for keys that always have a default. */
export const need = <T>(r: Reader, spec: KeySpec<T>): T => {
  const value = read(r, spec);
  if (value === null) throw configError(r, { key: spec.key }, `${spec.key} has no value`);
  return value;
};
