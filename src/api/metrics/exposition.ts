import { FAMILIES, type FamilyKey } from './families.js';

// Prometheus's text exposition format (version 0.0.4), written by hand: a scrape of 1000 programs
// is some 40 000 lines, and writing them straight from the supervisor's state is cheaper than
// filling a client library's registry with label sets first. Each family is written once, HELP
// and TYPE first, then all its samples together, as the format requires.

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const LABEL_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' };

/** A label value as the format quotes it: backslash, double quote and newline escaped. */
export const escapeLabelValue = (value: string): string =>
  value.replace(/[\\"\n]/g, (c) => LABEL_ESCAPES[c] ?? c);

/** HELP text: backslash and newline escaped. */
export const escapeHelp = (text: string): string => text.replace(/[\\\n]/g, (c) => LABEL_ESCAPES[c] ?? c);

/** A sample value: Go's spelling of the special values (NaN, +Inf, -Inf). */
export const formatValue = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
};

/** `a="x",b="y"`: label pairs, rendered once and reused for every sample of the same subject. */
export const renderLabels = (pairs: readonly (readonly [string, string])[]): string =>
  pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');

/** Adds one sample: its rendered labels ('' for none) and its value. */
export type AddSample = (labels: string, value: number) => void;

export class Exposition {
  readonly #parts: string[] = [];

  /** Writes a family's HELP and TYPE lines, then the samples `fill` adds. */
  family(key: FamilyKey, fill: (add: AddSample) => void): void {
    const { name, type, help } = FAMILIES[key];
    const parts = this.#parts;
    parts.push(`# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`);
    fill((labels, value) => {
      parts.push(
        labels === '' ? `${name} ${formatValue(value)}\n` : `${name}{${labels}} ${formatValue(value)}\n`,
      );
    });
  }

  text(): string {
    return this.#parts.join('');
  }
}
