import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { SpawnFailure, type SpawnRequest, type SpawnedChild, type Spawner } from './spawner.js';

// A short command run to completion (exec probes), through whichever spawner the daemon uses:
// with the native one a probe no longer forks the whole daemon every healthcheck_interval.

export interface RunOptions {
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | null;
  /** Run as this user when the daemon is root (with the user's groups, like programs). */
  readonly user: { readonly uid: number; readonly gid: number } | null;
}

export interface RunResult {
  /** Exit code, or null when killed by a signal (or the timeout). */
  readonly code: number | null;
  readonly timedOut: boolean;
  /** The first 4 KiB of stdout and stderr together, for error messages. */
  readonly output: string;
  /** Why the command could not run at all (ENOENT…), else null. */
  readonly error: string | null;
}

const OUTPUT_LIMIT = 4096;

const isExecutable = (file: string): boolean => {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** argv[0] as execvp would find it: a path with a slash as is, else the first match in PATH. */
const findExecutable = (program: string, options: RunOptions): string | null => {
  if (program.includes('/')) return path.resolve(options.cwd ?? process.cwd(), program);
  const dirs = (options.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(path.delimiter);
  for (const dir of dirs) {
    const candidate = path.join(dir === '' ? '.' : dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
};

const probeRequest = (file: string, argv: readonly string[], options: RunOptions): SpawnRequest => ({
  name: `exec ${argv[0] ?? ''}`,
  stop: { signal: 'KILL', waitSecs: 0 },
  file,
  argv,
  env: options.env,
  cwd: options.cwd,
  umask: null,
  user: options.user,
  redirectStderr: true,
});

const failed = (error: string): RunResult => ({ code: null, timedOut: false, output: '', error });

const startProbe = (
  spawner: Spawner,
  argv: readonly string[],
  options: RunOptions,
): SpawnedChild | RunResult => {
  const file = findExecutable(argv[0] ?? '', options);
  if (file === null) return failed('ENOENT');
  try {
    return spawner.spawn(probeRequest(file, argv, options));
  } catch (error) {
    if (error instanceof SpawnFailure) return failed(error.errno ?? error.message);
    return failed(String(error));
  }
};

/**
 * Runs `argv` in its own process group, stdout and stderr together; SIGKILLs the group when
 * `timeoutMs` passes; keeps the first 4 KiB of output. Never rejects.
 */
export const runCommandWith = (
  spawner: Spawner,
  argv: readonly string[],
  options: RunOptions,
): Promise<RunResult> =>
  new Promise((resolve) => {
    const child = startProbe(spawner, argv, options);
    if (!('pid' in child)) {
      resolve(child);
      return;
    }
    child.onSpawnError((errno) => {
      resolve(failed(errno));
    });
    if (child.pid === 0) return;
    child.stdin?.destroy();
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      if (output.length < OUTPUT_LIMIT)
        output += chunk.toString('utf8').slice(0, OUTPUT_LIMIT - output.length);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        spawner.kill(child.pid, 'KILL', true);
      } catch {
        // Not ours to kill any more (EPERM after a setuid exec): the exit still comes.
      }
    }, options.timeoutMs);
    child.onExit((exit) => {
      clearTimeout(timer);
      if (exit.spawnFailure !== undefined) resolve(failed(exit.spawnFailure.errno));
      else resolve({ code: exit.code, timedOut, output, error: null });
    });
  });
