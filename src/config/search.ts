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

/** The file chosen, and how: given (-c or $TEND_CONFIG) or the first of SEARCH_PATHS found. */
export interface LocatedConfig {
  readonly file: string;
  readonly source: 'option' | 'env' | 'search';
  /** For a search: the paths tried before the one found (absolute). */
  readonly skipped: readonly string[];
}

/** Where the config is and how it was chosen; throws CONFIG_NOT_FOUND naming every path tried. */
export const locateConfigFile = ({ explicit, env, cwd, exists = existsSync }: SearchInput): LocatedConfig => {
  if (explicit !== undefined) return { file: path.resolve(cwd, explicit), source: 'option', skipped: [] };
  if (env.TEND_CONFIG !== undefined && env.TEND_CONFIG !== '') {
    return { file: path.resolve(cwd, env.TEND_CONFIG), source: 'env', skipped: [] };
  }
  const tried = SEARCH_PATHS.map((p) => path.resolve(cwd, p));
  const at = tried.findIndex((p) => exists(p));
  const found = tried[at];
  if (found !== undefined) return { file: found, source: 'search', skipped: tried.slice(0, at) };
  throw new TendError('CONFIG_NOT_FOUND', `No config file found at default paths (${tried.join(', ')})`, {
    hint: 'use the -c option to specify a config file at a different path',
  });
};

/** findConfigFile with the file system check passed in. */
export const searchConfigFile = (input: SearchInput): string => locateConfigFile(input).file;

/**
 * The config file to use: `explicit` (-c) as given, else $TEND_CONFIG, else the first of
 * SEARCH_PATHS that exists (relative ones against `cwd`). Throws CONFIG_NOT_FOUND.
 */
export const findConfigFile = (
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string => searchConfigFile({ explicit, env, cwd });
