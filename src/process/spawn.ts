import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import {
  SpawnFailure,
  type ChildExit,
  type SignalResult,
  type SpawnRequest,
  type SpawnedChild,
  type Spawner,
} from './spawner.js';

// The only module that touches node:child_process or sends signals (STYLE.md §4).
//
// Node cannot run code between fork and exec, so what supervisord does in the child is
// done by exec wrappers, only when needed:
// - redirect_stderr: `sh -c 'exec "$0" "$@" 2>&1'` makes fd 2 the stdout pipe itself, which keeps
//   the exact interleaving of the two streams (merging two pipes in the parent would not).
// - WATCHDOG_PID must be the child's own pid, unknown before the fork:
//   `sh -c 'WATCHDOG_PID=$$; export WATCHDOG_PID; exec "$0" "$@"'` (exec keeps the pid).
// - user=: libuv's setuid drops every supplementary group; `setpriv --init-groups` gives the child
//   its user's groups as supervisord's initgroups() does. Without setpriv (macOS), spawn's uid/gid.
// Every child is its own process group leader (`detached`), so signals to the group reach its
// descendants (stopasgroup/killasgroup) and a Ctrl-C in tend's terminal does not.

const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = existsSync(SETPRIV);

interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly argv0: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// One `sh -c` serves both needs: `$$` is the shell's pid, which exec hands on to the program.
type WrapInput = Pick<SpawnRequest, 'file' | 'argv' | 'redirectStderr' | 'user' | 'pidEnv'>;

const shellScript = (request: WrapInput): string | null => {
  const names = (request.pidEnv ?? []).filter((name) => ENV_NAME.test(name));
  if (names.length === 0 && !request.redirectStderr) return null;
  const exports = names.map((name) => `${name}=$$; export ${name}; `).join('');
  return `${exports}exec "$0" "$@"${request.redirectStderr ? ' 2>&1' : ''}`;
};

const wrapCommand = (request: WrapInput): Command => {
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
  return command;
};

const isRoot = (): boolean => process.getuid?.() === 0;

const checkUser = (request: SpawnRequest): void => {
  if (request.user === null || isRoot() || process.getuid === undefined) return;
  if (request.user.uid !== process.getuid()) {
    throw new SpawnFailure(`couldn't setuid to ${request.user.uid}: Can't drop privilege as nonroot user`);
  }
};

const spawnOptions = (request: SpawnRequest, command: Command): SpawnOptions => ({
  argv0: command.argv0,
  cwd: request.cwd ?? undefined,
  env: request.env,
  detached: true,
  stdio: ['pipe', 'pipe', request.redirectStderr ? 'ignore' : 'pipe'],
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

// The exit of a child is reported only once its output pipes have been read to the end, so its
// last words are in the log before its state changes, as supervisord's finish() drains first.
// Only another member of the child's process group can hold a pipe open after the child is gone:
// if the group is empty, EOF is certain and is waited for (up to DRAIN_LONG_MS on a very busy
// machine); if members remain, one may hold the pipe forever, so the exit is reported after
// DRAIN_SHORT_MS and the rest of the output keeps flowing into the same log. An expired bound
// still waits for the poll phase of that loop turn (setImmediate), so output already waiting in
// the pipe is read first.
const DRAIN_SHORT_MS = 200;
const DRAIN_LONG_MS = 5000;

const groupHasMembers = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return groupHasLiveMember(pgid);
};

// The ends to wait for: what the pipes' readers registered with holdExit(), or else the
// child_process streams' own end.
const streamEnd = (stream: Readable): Promise<void> =>
  stream.readableEnded || stream.destroyed
    ? Promise.resolve()
    : new Promise((resolve) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
      });

const afterPipesDrained = (ends: readonly Promise<void>[], pgid: number, done: () => void): void => {
  let fired = false;
  const finish = (): void => {
    if (fired) return;
    fired = true;
    clearTimeout(timer);
    done();
  };
  const bound = groupHasMembers(pgid) ? DRAIN_SHORT_MS : DRAIN_LONG_MS;
  const timer = setTimeout(() => setImmediate(finish), bound);
  void Promise.all(ends).then(finish);
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
        const ends = held.length > 0 ? held : pipes.map(streamEnd);
        afterPipesDrained(ends, child.pid ?? 0, () => {
          listener({ code, signal } satisfies ChildExit);
        });
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

export const realSpawner: Spawner = {
  spawn(request) {
    checkUser(request);
    if (request.cwd !== null && !existsSync(request.cwd)) {
      throw new SpawnFailure(`couldn't chdir to ${request.cwd}: ENOENT`);
    }
    const command = wrapCommand(request);
    const child = withUmask(request.umask, () =>
      nodeSpawn(command.file, command.args, spawnOptions(request, command)),
    );
    return wrapChild(child, request.redirectStderr);
  },

  kill(pid, signal, group): SignalResult {
    try {
      process.kill(group ? -pid : pid, `SIG${signal}` as NodeJS.Signals);
      return 'sent';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
      throw error;
    }
  },

  probe(pid, group) {
    try {
      process.kill(group ? -pid : pid, 0);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
    return !group || groupHasLiveMember(pid);
  },
};

// A zombie still answers kill(-pgid, 0) until its new parent reaps it, which some init systems do
// late (and a container's PID 1 may never do). Where /proc exists, a group counts as alive only
// while one of its members is not a zombie.
const groupHasLiveMember = (pgid: number): boolean => {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
};

export interface Lifeline {
  readonly pid: number;
  /** Closes the pipe: the helper sees EOF, exactly as if the daemon had died. */
  close(): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

/**
 * Starts a helper that must outlive a crash of the daemon (the guardian): in its own session, its
 * stdin a pipe the daemon never writes to, so EOF means the daemon is gone. Neither the helper nor
 * its pipe keeps the daemon's event loop alive.
 */
export const spawnLifeline = (
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Lifeline => {
  const child = nodeSpawn(file, args, {
    detached: true,
    stdio: ['pipe', 'inherit', 'inherit'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  });
  // With stdio[0] 'pipe', stdin is always a socket (typed as a plain Writable).
  const stdin = child.stdin as unknown as Socket;
  child.on('error', () => undefined);
  stdin.on('error', () => undefined);
  child.unref();
  stdin.unref();
  return {
    pid: child.pid ?? 0,
    close: () => stdin.destroy(),
    onExit: (listener) => {
      child.once('exit', listener);
    },
  };
};

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

/**
 * Runs a short command to completion (exec probes): its own process group, killed whole with
 * SIGKILL when `timeoutMs` passes, output kept up to 4 KiB. Never rejects.
 */
export const runCommand = (argv: readonly string[], options: RunOptions): Promise<RunResult> =>
  new Promise((resolve) => {
    const command = wrapCommand({ file: argv[0] ?? '', argv, user: options.user, redirectStderr: false });
    let output = '';
    const keep = (chunk: Buffer): void => {
      if (output.length < OUTPUT_LIMIT)
        output += chunk.toString('utf8').slice(0, OUTPUT_LIMIT - output.length);
    };
    let child: ChildProcess;
    try {
      child = nodeSpawn(command.file, command.args, {
        argv0: command.argv0,
        cwd: options.cwd ?? undefined,
        env: options.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({ code: null, timedOut: false, output: '', error: String(error) });
      return;
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) realSpawner.kill(child.pid, 'KILL', true);
      } catch {
        // Not ours to kill any more (EPERM after a setuid exec): 'close' still comes.
      }
    }, options.timeoutMs);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, timedOut, output, error: error.code ?? error.message });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, output, error: null });
    });
  });
