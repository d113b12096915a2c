// Paths and the fixed environment shared by the config tests. Tests run compiled from
// dist/test/unit/config, and read fixtures from the source tree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const DIALECT = path.join(REPO, 'test/fixtures/dialect');
export const PLACEHOLDER = '@FIXTURES@';

/** Replaces the recorder's placeholder with the real fixture directory, recursively. */
export const unplace = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replaceAll(PLACEHOLDER, DIALECT);
  if (Array.isArray(value)) return value.map(unplace);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unplace(v)]));
  }
  return value;
};

interface EnvSpec {
  readonly hostname: string;
  readonly env: Record<string, string>;
}

/** The environment, hostname and cwd the recorder used (scripts/record-dialect.py). */
export const dialectOptions = (): {
  env: Record<string, string>;
  hostname: string;
  cwd: string;
  isRoot: boolean;
} => {
  const spec = unplace(JSON.parse(readFileSync(path.join(DIALECT, 'env.json'), 'utf8'))) as EnvSpec;
  return { env: spec.env, hostname: spec.hostname, cwd: DIALECT, isRoot: true };
};
