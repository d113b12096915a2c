import { accessSync, constants, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { TendError } from '../errors/index.js';
import { pyRepr } from './pyrepr.js';

const DEFAULT_PATH = ['/bin', '/usr/bin', '/usr/local/bin'];

export interface ResolvedCommand {
  readonly file: string;
  readonly argv: readonly string[];
}

const tryStat = (file: string): Stats | undefined => {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
};

// The PATH a command is searched in: the program's own environment PATH, else the daemon's,
// else supervisord's fallback (options.py get_path).
export const searchPath = (programEnv: Readonly<Record<string, string>>, daemonPath: string | undefined) =>
  (programEnv.PATH ?? daemonPath)?.split(path.delimiter) ?? DEFAULT_PATH;

// Resolves argv[0] and checks it the way supervisord's get_execv_args/check_execv_args do, with the
// same messages: they become the process's spawnerr and the XML-RPC fault text. Codes follow
// startProcess: NO_FILE when not found, NOT_EXECUTABLE otherwise.
// A relative path with a slash is taken relative to the child's working directory, where exec will
// look for it (supervisord checks it against its own cwd instead, then execs from the child's).
export const resolveCommand = (
  argv: readonly string[],
  dirs: readonly string[],
  cwd: string,
): ResolvedCommand => {
  const { file } = locateCommand(argv, dirs, cwd);
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new TendError('NOT_EXECUTABLE', `no permission to run command ${pyRepr(file)}`);
  }
  return { file, argv };
};

/**
 * resolveCommand's checks short of asking whether this process may run the file: the file, its
 * stat, and NO_FILE / NOT_EXECUTABLE (a directory, no execute bit at all) as resolveCommand says them.
 */
export const locateCommand = (
  argv: readonly string[],
  dirs: readonly string[],
  cwd: string,
): { readonly file: string; readonly stat: Stats } => {
  const program = argv[0];
  if (program === undefined) throw new TendError('NOT_EXECUTABLE', 'command is empty');
  let file = program;
  let st: Stats | undefined;
  if (program.includes('/')) {
    file = path.resolve(cwd, program);
    st = tryStat(file);
  } else {
    for (const dir of dirs) {
      const candidate = path.join(dir, program);
      st = tryStat(candidate);
      if (st !== undefined) {
        file = candidate;
        break;
      }
    }
  }
  if (st === undefined)
    throw new TendError('NO_FILE', `can't find command ${pyRepr(program.includes('/') ? program : file)}`);
  if (st.isDirectory()) throw new TendError('NOT_EXECUTABLE', `command at ${pyRepr(file)} is a directory`);
  if ((st.mode & 0o111) === 0) {
    throw new TendError('NOT_EXECUTABLE', `command at ${pyRepr(file)} is not executable`);
  }
  return { file, stat: st };
};
