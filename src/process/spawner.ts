import type { Readable, Writable } from 'node:stream';

// The seam between the lifecycle and the operating system. The real implementations are
// spawn-native.ts (tend's addon: clone(CLONE_VM), pidfd exits) and spawn.ts
// (node:child_process, the fallback), chosen by spawn.ts; unit tests pass a fake.

export interface SpawnRequest {
  /** The process's namespec, for records and messages. */
  readonly name: string;
  /** How to stop it, for whoever has to stop it without the lifecycle (the guardian). */
  readonly stop: { readonly signal: string; readonly waitSecs: number };
  /** Absolute path of the executable, already resolved against PATH and checked. */
  readonly file: string;
  /** argv including argv[0] as written in the config. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | null;
  readonly umask: number | null;
  /** Drop to this user (with its supplementary groups) when the daemon runs as root. */
  readonly user: { readonly uid: number; readonly gid: number } | null;
  /** Child's fd 2 is the stdout pipe (supervisord's redirect_stderr). */
  readonly redirectStderr: boolean;
  /**
   * Variables to set to the child's own pid (WATCHDOG_PID, LISTEN_PID), which only the child can
   * know: the native spawner writes the pid in the child before execve; child_process needs an
   * exec wrapper (`sh -c`). A name in `env` too is overridden.
   */
  readonly pidEnv?: readonly string[];
  /**
   * Daemon fds the child gets as fds 3, 4, … in this order (socket activation: the listening
   * socket as fd 3, with LISTEN_FDS=1 in `env` and LISTEN_PID in `pidEnv`). Every other fd of
   * the daemon is closed in the child. The fds stay open in the daemon.
   */
  readonly extraFds?: readonly number[];
  /** Resource limits for the child (setrlimit before the user is dropped); null is unlimited. */
  readonly rlimits?: readonly RlimitRequest[];
  /**
   * The caller reads the output pipes from their descriptors (SpawnedChild.stdoutFd, stderrFd)
   * and owns them: a spawner that has bare pipes (the native one) makes no streams of them, so a
   * reader with its own (the log channel's zero-copy socket) is the only one. Spawners whose
   * pipes are streams already (child_process) ignore it.
   */
  readonly rawOutput?: boolean;
}

export type RlimitResource =
  'CORE' | 'CPU' | 'DATA' | 'FSIZE' | 'MEMLOCK' | 'NOFILE' | 'NPROC' | 'STACK' | 'AS';

export interface RlimitRequest {
  readonly resource: RlimitResource;
  readonly soft: number | null;
  readonly hard: number | null;
}

export interface ChildExit {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Whether the signal dumped core (known with the native spawner only). */
  readonly core?: boolean;
  /** CPU time the child used (known with the native spawner only). */
  readonly rusage?: { readonly userSec: number; readonly systemSec: number };
  /**
   * The child never ran its program: a step before execve failed (the native spawner, which
   * reports it with the exit, status 127). `step` is chdir, setuid, execve…
   */
  readonly spawnFailure?: { readonly errno: string; readonly step: string };
}

export interface SpawnedChild {
  /** 0 when the OS refused the spawn; onSpawnError then reports why, asynchronously. */
  readonly pid: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  /** null when stderr is redirected into stdout. */
  readonly stderr: Readable | null;
  /** With `rawOutput`, where the spawner honours it: the stdout pipe, owned by the caller (else -1). */
  readonly stdoutFd?: number;
  /** The same for stderr (-1 when it is redirected into stdout). */
  readonly stderrFd?: number;
  /** The kernel's start time of the child (/proc/PID/stat field 22), when the spawner read it. */
  readonly startTime?: number;
  /** Called once, when the process has exited (not when its pipes close). */
  onExit(listener: (exit: ChildExit) => void): void;
  /** Called once with an errno name (EAGAIN, EMFILE, ENOENT…) when the spawn failed late. */
  onSpawnError(listener: (errno: string) => void): void;
  /**
   * Where the spawner returns before the child has exec'd (the native one): whether it still
   * has not. Absent where the spawn returns after the exec, or cannot tell (child_process).
   */
  settingUp?(): boolean;
  /**
   * Whoever reads the output pipes says here when a pipe has been read to its end; the exit is
   * reported after that (within bounds), so the last output is in the log before the state changes.
   */
  holdExit(end: Promise<void>): void;
}

export class SpawnFailure extends Error {
  /** errno name such as EAGAIN or EMFILE, when the OS gave one. */
  readonly errno: string | undefined;
  /**
   * The step that failed (fork, pipe, chdir, setuid, execve…) when the spawner knows it: the
   * lifecycle then words the message as supervisord does (spawn-errors.ts).
   */
  readonly step: string | undefined;
  constructor(message: string, errno?: string, step?: string) {
    super(message);
    this.name = 'SpawnFailure';
    this.errno = errno;
    this.step = step;
  }
}

export type SignalResult = 'sent' | 'gone';

export interface Spawner {
  /** Starts a child; throws SpawnFailure when the OS refuses (fork EAGAIN, EMFILE, exec error). */
  spawn(request: SpawnRequest): SpawnedChild;
  /**
   * Sends a signal to a pid or, with `group`, to its process group. 'gone' means ESRCH (it exited
   * on its own; its exit is reported through onExit). Any other failure throws.
   */
  kill(pid: number, signal: string, group: boolean): SignalResult;
  /** Whether the pid (or, with `group`, any member of its process group) still exists. */
  probe(pid: number, group: boolean): boolean;
}
