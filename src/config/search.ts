// Where the config file is when -c is not given: tend's own names first, then supervisord's
// (options.py searchpaths, without the ones relative to the Python installation).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TendError } from '../errors/index.js';

export const SEARCH_PATHS: readonly string[] = [
  'tend.conf',
  'etc/tend.conf',
  '/etc/tend/tend.conf',
  'supervisord.conf',
  'etc/supervisord.conf',
  '/etc/supervisord.conf',
  '/etc/supervisor/supervisord.conf',
];

export interface SearchInput {
  readonly explicit: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly exists?: (file: string) => boolean;
}

/** findConfigFile with the file system check passed in. */
export const searchConfigFile = ({ explicit, env, cwd, exists = existsSync }: SearchInput): string => {
  const given = explicit ?? (env.TEND_CONFIG === '' ? undefined : env.TEND_CONFIG);
  if (given !== undefined) return path.resolve(cwd, given);
  const tried = SEARCH_PATHS.map((p) => path.resolve(cwd, p));
  const found = tried.find((p) => exists(p));
  if (found !== undefined) return found;
  throw new TendError('CONFIG_NOT_FOUND', `No config file found at default paths (${tried.join(', ')})`, {
    hint: 'use the -c option to specify a config file at a different path',
  });
};

/**
 * The config file to use: `explicit` (-c) as given, else $TEND_CONFIG, else the first of
 * SEARCH_PATHS that exists (relative ones against `cwd`). Throws CONFIG_NOT_FOUND.
 */
export const findConfigFile = (
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string => searchConfigFile({ explicit, env, cwd });
