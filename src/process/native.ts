import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The one module that loads tend's native addon (native/, built by node-gyp at install, see
// docs/native.md). Loading is tried once; where it fails (not Linux, no compiler at install, a
// kernel without pidfd_open) `loadNative()` says why and the callers fall back to child_process.

/** What the child's stdio fds 0–2 are: a new pipe, the stdout pipe (fd 2 only), or /dev/null. */
export type NativeStdio = 'pipe' | 'stdout' | 'null';

export interface NativeRlimit {
  /** A resource number from `addon.RLIMIT` (NOFILE, NPROC, CORE…). */
  readonly resource: number;
  /** -1: unlimited. */
  readonly soft: number;
  readonly hard: number;
}

export interface NativeSpawnRequest {
  readonly file: string;
  /** argv[0] included. */
  readonly argv: readonly string[];
  /** `NAME=value` entries. */
  readonly env: readonly string[];
  /** Names appended to env, each set to the child's own pid (LISTEN_PID, WATCHDOG_PID). */
  readonly pidEnv: readonly string[];
  readonly cwd: string | null;
  /** -1: inherit the daemon's. */
  readonly umask: number;
  /** -1: keep the daemon's user. Otherwise setgroups (initgroups semantics) + setresgid + setresuid. */
  readonly uid: number;
  readonly gid: number;
  readonly rlimits: readonly NativeRlimit[];
  /** setsid(): the child leads a new session and process group. */
  readonly newSession: boolean;
  readonly stdin: NativeStdio;
  readonly stdout: NativeStdio;
  readonly stderr: NativeStdio;
  /** Daemon fds that become the child's fds 3, 4, … in order; every other fd is closed. */
  readonly extraFds: readonly number[];
}

export interface NativeChild {
  readonly pid: number;
  /** The daemon's ends of the pipes; -1 where the request asked for none. */
  readonly stdin: number;
  readonly stdout: number;
  readonly stderr: number;
  /** Field 22 of /proc/PID/stat, read right after the spawn (0 if unknown). */
  readonly startTime: number;
}

export interface NativeExit {
  readonly pid: number;
  /** Exit code, or null after death by a signal. */
  readonly code: number | null;
  /** Signal number, or null after an exit. */
  readonly signal: number | null;
  readonly core: boolean;
  /** CPU seconds (rusage); absent for reaped orphans. */
  readonly userSec?: number;
  readonly systemSec?: number;
  /**
   * The child failed before execve (it then exits 127): the errno name, the step (chdir, setuid,
   * execve…) and "<step> <CODE> (<strerror>)".
   */
  readonly error?: { readonly code: string; readonly syscall: string; readonly message: string };
}

/** A spawn failure: `code` is the errno name, `syscall` the step (execve, chdir, setuid, fork…). */
export interface NativeError extends Error {
  readonly code: string;
  readonly syscall: string;
}

export interface NativeAddon {
  /**
   * Returns as soon as the child exists, while it sets itself up and execs. Throws a NativeError
   * when the request, the pipes or the clone fail; a failure of a later step (chdir, setuid,
   * execve…) comes as the exit's `error`. onExit is called once, later.
   */
  spawn(request: NativeSpawnRequest, onExit: (exit: NativeExit) => void): NativeChild;
  /** Whether a child of spawn() is still between clone and execve (false once it exec'd or died). */
  settingUp(pid: number): boolean;
  /** Marks a child spawned elsewhere (child_process) as not an orphan, until disowned. */
  own(pid: number): void;
  disown(pid: number): void;
  setSubreaper(on: boolean): void;
  isSubreaper(): boolean;
  /** Reaps every exited orphan now; never a child that is owned. */
  reapOrphans(): NativeExit[];
  /** Direct children that are not owned (orphans), alive or exited. */
  orphans(): number[];
  /** Reaps orphans after each SIGCHLD (and once now); the handles do not keep the loop alive. */
  startReaper(onReaped: (exits: NativeExit[]) => void): void;
  stopReaper(): void;
  /** At most n glibc malloc arenas from now on (mallopt M_ARENA_MAX); false where refused. */
  mallocArenas(n: number): boolean;
  /** Gives free malloc memory back to the system (malloc_trim). */
  trimMemory(): boolean;
  /**
   * A listening socket (bound, listen()ed, close-on-exec, never accepted on): kind 'tcp' with a host
   * ('' or '*': every interface) and port, or 'unix' with a path. Throws with .code and .syscall.
   */
  listenSocket(kind: 'tcp' | 'unix', address: string, port: number, backlog: number): number;
  /** setrlimit for the daemon itself. */
  setrlimit(resource: number, soft: number, hard: number): void;
  readonly RLIMIT: Readonly<Record<string, number>>;
  /** log_timestamps: copies src into dst, each line after `stamp` (native/src/format.c). */
  stampLines(src: Buffer, dst: Buffer, stamp: Buffer, state: Int32Array): void;
  /** log_format = json: encodes complete, valid UTF-8 lines as records after `prefix`. */
  jsonLines(src: Buffer, dst: Buffer, prefix: Buffer, state: Int32Array): void;
  /** null, or why this kernel cannot run it (then nothing else may be called). */
  readonly unavailable: string | null;
}

export type NativeLoad =
  { readonly addon: NativeAddon; readonly reason: null } | { readonly addon: null; readonly reason: string };

const ADDON = 'native/build/Release/tend_native.node';

// dist/bundle/*.js and dist/src/process/*.js sit two and three levels below the package root.
const candidates = (): string[] => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.resolve(here, '../..', ADDON), path.resolve(here, '../../..', ADDON)];
};

const load = (): NativeLoad => {
  if (process.platform !== 'linux')
    return { addon: null, reason: `it is Linux-only (this is ${process.platform})` };
  const file = candidates().find((candidate) => existsSync(candidate));
  if (file === undefined) return { addon: null, reason: `${ADDON} was not built (see docs/native.md)` };
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(file) as NativeAddon;
  } catch (error) {
    return {
      addon: null,
      reason: `${ADDON} does not load: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return addon.unavailable === null ? { addon, reason: null } : { addon: null, reason: addon.unavailable };
};

let loaded: NativeLoad | undefined;

/** The addon, loaded on first use, or why it cannot be used. */
export const loadNative = (): NativeLoad => (loaded ??= load());

/** The addon's line formatting for the log pipeline, or null (the pipeline then does it in JS). */
export const nativeLineFormat = (): Pick<NativeAddon, 'stampLines' | 'jsonLines'> | null =>
  loadNative().addon;
