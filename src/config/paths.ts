// Path converters from datatypes.py. They expand `~` like os.path.expanduser and check existence
// against the daemon's working directory, but (like supervisord) only `logfile`, `pidfile` and
// socket paths are made absolute; other paths are kept as written.
import { statSync } from 'node:fs';
import path from 'node:path';
import { PyValueError } from './pystr.js';
import type { UserDb } from './users.js';

export interface PathEnv {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly users: UserDb;
  readonly uid: number;
}

/** os.path.expanduser: `~` is $HOME (else the current user's home), `~name` that user's home. */
export const expandUser = (p: string, at: PathEnv): string => {
  if (!p.startsWith('~')) return p;
  const slash = p.indexOf('/', 1);
  const end = slash === -1 ? p.length : slash;
  let home: string | undefined;
  if (end === 1) {
    home = at.env.HOME ?? at.users.users.find((u) => u.uid === at.uid)?.home;
  } else {
    const name = p.slice(1, end);
    home = at.users.users.find((u) => u.name === name)?.home;
  }
  if (home === undefined) return p;
  const trimmed = home.replace(/\/+$/, '');
  return trimmed + p.slice(end) || '/';
};

/** os.path.dirname: the head of the path, trailing slashes removed unless it is all slashes. */
export const pyDirname = (p: string): string => {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
};

const isDirectory = (p: string, cwd: string): boolean => {
  try {
    return statSync(path.resolve(cwd, p)).isDirectory();
  } catch {
    return false;
  }
};

/** datatypes.existing_directory. */
export const existingDirectory = (value: string, at: PathEnv): string => {
  const expanded = expandUser(value, at);
  if (isDirectory(expanded, at.cwd)) return expanded;
  throw new PyValueError(`${value} is not an existing directory`);
};

/** datatypes.existing_dirpath: the file need not exist, its directory must. */
export const existingDirpath = (value: string, at: PathEnv): string => {
  const expanded = expandUser(value, at);
  const dir = pyDirname(expanded);
  if (dir === '' || isDirectory(dir, at.cwd)) return expanded;
  throw new PyValueError(`The directory named as part of the path ${value} does not exist`);
};

/** options.normalize_path: normpath(abspath(expanduser(v))). */
export const normalizePath = (value: string, at: PathEnv): string =>
  path.resolve(at.cwd, expandUser(value, at));

/** tempfile.gettempdir() for the daemon's environment. */
export const tempDir = (env: Readonly<Record<string, string | undefined>>): string => {
  const dir = env.TMPDIR ?? env.TEMP ?? env.TMP ?? '/tmp';
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
};
