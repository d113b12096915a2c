import type { ProcessConfig } from '../config/index.js';
import type { Findings } from './report.js';

// The mapping table: one row per field of a resolved process (ProcessConfig), saying for each
// target what the config keys behind it become. docs/export.md is generated from it, and export
// warns from it: a 'dropped' key that is set warns, and so does a field the table does not know
// (a key added to the config after this table was written is reported, never dropped silently).

export const TARGETS = ['systemd', 'kubernetes', 'nomad', 'compose'] as const;
export type Target = (typeof TARGETS)[number];

export type Treatment =
  /** Carried over as `to` says. */
  | { readonly how: 'mapped'; readonly to: string }
  /** Carried over in part; the generator warns about the part that is not (`note` says which). */
  | { readonly how: 'partial'; readonly to: string; readonly note: string }
  /** No equivalent: a warning when the program sets it (`active`). */
  | { readonly how: 'dropped'; readonly why: string }
  /** Identity or bookkeeping, not behaviour (process numbers, where a key was read). */
  | { readonly how: 'internal'; readonly why: string };

export interface MappingRow {
  readonly field: keyof ProcessConfig;
  /** The config keys behind the field, as written in the file. */
  readonly keys: readonly string[];
  /** Whether a program sets the field to something that matters (not its default). */
  readonly active: (p: ProcessConfig) => boolean;
  readonly targets: Readonly<Record<Target, Treatment>>;
}

export const mapped = (to: string): Treatment => ({ how: 'mapped', to });
export const partial = (to: string, note: string): Treatment => ({ how: 'partial', to, note });
export const dropped = (why: string): Treatment => ({ how: 'dropped', why });
export const internal = (why: string): Treatment => ({ how: 'internal', why });

/** The same treatment on every target. */
export const everywhere = (t: Treatment): Record<Target, Treatment> => ({
  systemd: t,
  kubernetes: t,
  nomad: t,
  compose: t,
});

const LEFT_OUT = new Set<unknown>([null, undefined, false, 0, '']);

/** For a field the table does not know: does it hold anything beyond an empty default? */
const holdsSomething = (value: unknown): boolean => {
  if (LEFT_OUT.has(value)) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
};

/** Warnings for the dropped keys a program sets and for fields missing from `rows`. */
export const reportUnmapped = (
  rows: readonly MappingRow[],
  target: Target,
  p: ProcessConfig,
  findings: Findings,
): void => {
  const known = new Set<string>(rows.map((r) => r.field));
  for (const row of rows) {
    const t = row.targets[target];
    if (t.how === 'dropped' && row.active(p)) findings.warn(p.program, row.keys[0] ?? row.field, t.why);
  }
  for (const [field, value] of Object.entries(p)) {
    if (known.has(field) || !holdsSomething(value)) continue;
    findings.warn(
      p.program,
      field,
      `not in tend export's mapping table, so not carried over to ${target} (see docs/export.md)`,
    );
  }
};
