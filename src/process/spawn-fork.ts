import {
  spawn as nodeSpawn,
  type ChildProcess,
  type SpawnOptions,
  type StdioOptions,
} from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ENV_NAME, afterPipesDrained, checkUser, isRoot, streamEnd } from './os.js';
import {
  SpawnFailure,
  type ChildExit,
  type RlimitRequest,
  type SpawnRequest,
  type SpawnedChild,
} from './spawner.js';

// The fd under a child_process pipe (libuv's handle), for the drain's look-up of who holds it.
const handleFd = (stream: Readable): number =>
  (stream as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;

// The child_process spawner: the fallback where tend's addon cannot load, and what
// TEND_SPAWNER=child_process forces. Node cannot run code between fork and exec, so what
// supervisord does in the child is done by exec wrappers, only when needed:
// - redirect_stderr: `sh -c 'exec "$0" "$@" 2>&1'` makes fd 2 the stdout pipe itself, which keeps
//   the exact interleaving of the two streams (merging two pipes in the parent would not).
// - WATCHDOG_PID / LISTEN_PID must be the child's own pid, unknown before the fork:
//   `sh -c 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$0" "$@"'` (exec keeps the pid).
// - user=: libuv's setuid drops every supplementary group; `setpriv --init-groups` gives the child
//   its user's groups as supervisord's initgroups() does. Without setpriv (macOS), spawn's uid/gid.
// - rlimits: `prlimit --RESOURCE=soft:hard --` (util-linux).
// libuv forks the whole daemon for each child, so the cost grows with the daemon's memory: the
// reason for the native spawner (docs/native.md).

const SETPRIV = '/usr/bin/setpriv';
const PRLIMIT = '/usr/bin/prlimit';
const hasSetpriv = existsSync(SETPRIV);

export interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly argv0: string;
}

// One `sh -c` serves both needs: `$$` is the shell's pid, which exec hands on to the program.
type WrapInput = Pick<SpawnRequest, 'file' | 'argv' | 'redirectStderr' | 'user' | 'pidEnv' | 'rlimits'>;

const shellScript = (request: WrapInput): string | null => {
  const names = (request.pidEnv ?? []).filter((name) => ENV_NAME.test(name));
  if (names.length === 0 && !request.redirectStderr) return null;
  const exports = names.map((name) => `${name}=$$; export ${name}; `).join('');
  return `${exports}exec "$0" "$@"${request.redirectStderr ? ' 2>&1' : ''}`;
};

const limitArg = (r: RlimitRequest): string =>
  `--${r.resource.toLowerCase()}=${r.soft ?? 'unlimited'}:${r.hard ?? 'unlimited'}`;

/** The command with the wrappers this request needs (innermost first: sh, setpriv, prlimit). */
export const wrapCommand = (request: WrapInput): Command => {
  const [argv0 = request.file, ...rest] = request.argv;
  let command: Command = { file: request.file, args: rest, argv0 };
  const script = shellScript(request);
  if (script !== null) {
    command = { file: '/bin/sh', args: ['-c', script, command.file, ...command.args], argv0: 'sh' };
  }
  if (request.user !== null && hasSetpriv && isRoot()) {
    const { uid, gid } = request.user;
    command = {
      file: SETPRIV,
      args: [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', command.file, ...command.args],
      argv0: 'setpriv',
    };
  }
  const limits = request.rlimits ?? [];
  if (limits.length > 0) {
    command = {
      file: PRLIMIT,
      args: [...limits.map(limitArg), '--', command.file, ...command.args],
      argv0: 'prlimit',
    };
  }
  return command;
};

const stdio = (request: SpawnRequest): StdioOptions => [
  'pipe',
  'pipe',
  request.redirectStderr ? 'ignore' : 'pipe',
  ...(request.extraFds ?? []),
];

const spawnOptions = (request: SpawnRequest, command: Command): SpawnOptions => ({
  argv0: command.argv0,
  cwd: request.cwd ?? undefined,
  env: request.env,
  detached: true,
  stdio: stdio(request),
  ...(request.user !== null && !(hasSetpriv && isRoot()) && isRoot()
    ? { uid: request.user.uid, gid: request.user.gid }
    : {}),
});

// umask is per process: set it around the synchronous fork so only this child inherits it.
const withUmask = <T>(umask: number | null, fn: () => T): T => {
  if (umask === null) return fn();
  const previous = process.umask(umask);
  try {
    return fn();
  } finally {
    process.umask(previous);
  }
};

const wrapChild = (child: ChildProcess, redirectStderr: boolean): SpawnedChild => {
  // A write to a dead child's stdin raises EPIPE on the stream; callers of sendProcessStdin get
  // their error from write()'s callback, the stream event itself must not crash the daemon.
  child.stdin?.on('error', () => undefined);
  let spawnError: string | undefined;
  const errorListeners: ((errno: string) => void)[] = [];
  child.on('error', (error: NodeJS.ErrnoException) => {
    if (child.pid !== undefined) return;
    spawnError = error.code ?? 'UNKNOWN';
    for (const listener of errorListeners) listener(spawnError);
  });
  const held: Promise<void>[] = [];
  const pipes = [child.stdout, redirectStderr ? null : child.stderr].filter((s): s is Readable => s !== null);
  return {
    pid: child.pid ?? 0,
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: redirectStderr ? null : child.stderr,
    onExit: (listener) => {
      child.once('exit', (code, signal) => {
        // The ends to wait for: what the pipes' readers registered with holdExit(), or else the
        // child_process streams' own end.
        const ends = held.length > 0 ? held : pipes.map(streamEnd);
        afterPipesDrained(
          ends,
          child.pid ?? 0,
          () => {
            listener({ code, signal } satisfies ChildExit);
          },
          () => pipes.map(handleFd).filter((fd) => fd >= 0),
        );
      });
    },
    holdExit: (end) => {
      held.push(end);
    },
    onSpawnError: (listener) => {
      if (spawnError !== undefined) listener(spawnError);
      else errorListeners.push(listener);
    },
  };
};

/** Starts one child through child_process; `track` learns of it (the orphan reaper must not take it). */
export const forkSpawn = (request: SpawnRequest, track: (child: ChildProcess) => void): SpawnedChild => {
  checkUser(request);
  if (request.cwd !== null && !existsSync(request.cwd)) {
    throw new SpawnFailure(`couldn't chdir to ${request.cwd}: ENOENT`);
  }
  const command = wrapCommand(request);
  const child = withUmask(request.umask, () =>
    nodeSpawn(command.file, command.args, spawnOptions(request, command)),
  );
  track(child);
  return wrapChild(child, request.redirectStderr);
};
