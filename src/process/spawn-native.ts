import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import type { NativeAddon, NativeChild, NativeError, NativeExit, NativeSpawnRequest } from './native.js';
import { ENV_NAME, afterPipesDrained, checkUser, isRoot, streamEnd } from './os.js';
import { SpawnFailure, type ChildExit, type SpawnRequest, type SpawnedChild } from './spawner.js';

// The spawner over tend's addon (native.ts): the child is started with clone(CLONE_VM; with
// CLONE_VFORK for the first spawn in a turn of the loop, native/src/spawn.c) and set up in the
// child itself (new session, pipes on fds 0–2, extra fds from 3, resource limits, initgroups +
// setresgid + setresuid, chdir, umask, the child's own pid in pidEnv), so none of child_process's
// exec wrappers (sh -c, setpriv) are needed. Exits come from a pidfd on the event loop, with
// core-dump flag and CPU time. A spawn after the first in a turn returns as soon as the child
// exists, while it sets itself up and execs (settingUp); a failure of a step up to execve comes
// with the exit as its spawnFailure, naming the step. Failures before there is a child (the
// pipes, the clone) are thrown as a SpawnFailure.

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

const toNative = (addon: NativeAddon, request: SpawnRequest): NativeSpawnRequest => {
  const pidEnv = (request.pidEnv ?? []).filter((name) => ENV_NAME.test(name));
  const user = request.user !== null && isRoot() ? request.user : null;
  return {
    file: request.file,
    argv: request.argv,
    env: Object.entries(request.env)
      .filter(([name]) => !pidEnv.includes(name))
      .map(([name, value]) => `${name}=${value}`),
    pidEnv,
    cwd: request.cwd,
    umask: request.umask ?? -1,
    uid: user?.uid ?? -1,
    gid: user?.gid ?? -1,
    rlimits: (request.rlimits ?? []).map((r) => ({
      resource: addon.RLIMIT[r.resource] ?? -1,
      soft: r.soft ?? -1,
      hard: r.hard ?? -1,
    })),
    newSession: true,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: request.redirectStderr ? 'stdout' : 'pipe',
    extraFds: request.extraFds ?? [],
  };
};

const toChildExit = (exit: NativeExit): ChildExit => ({
  ...(exit.error === undefined ? {} : { spawnFailure: { errno: exit.error.code, step: exit.error.syscall } }),
  code: exit.code,
  signal: exit.signal === null ? null : (SIGNAL_NAMES.get(exit.signal) ?? null),
  core: exit.core,
  ...(exit.userSec === undefined || exit.systemSec === undefined
    ? {}
    : { rusage: { userSec: exit.userSec, systemSec: exit.systemSec } }),
});

const isNativeError = (error: unknown): error is NativeError =>
  error instanceof Error && typeof (error as Partial<NativeError>).syscall === 'string';

/** The child's stdio as streams; with no fd (-1), null. */
const readStream = (fd: number): Socket | null =>
  fd < 0 ? null : new Socket({ fd, readable: true, writable: false });

// Exit listeners and the drain: the addon reports the exit once; listeners registered after
// that (none in practice) still hear of it.
class NativeExitState {
  exit: ChildExit | null = null;
  /**
   * The child failed its set-up: it never ran its program, also while the exit waits for the
   * pipes to drain before the lifecycle hears of it (settingUp stays true until then).
   */
  failedSetup = false;
  readonly listeners: ((exit: ChildExit) => void)[] = [];
  readonly held: Promise<void>[] = [];

  report(exit: ChildExit, pid: number, pipes: readonly Readable[], fds: readonly number[]): void {
    this.failedSetup = exit.spawnFailure !== undefined;
    const ends = this.held.length > 0 ? this.held : pipes.map(streamEnd);
    afterPipesDrained(
      ends,
      pid,
      () => {
        this.exit = exit;
        for (const listener of this.listeners.splice(0)) listener(exit);
      },
      () => fds,
    );
  }

  add(listener: (exit: ChildExit) => void): void {
    const exit = this.exit;
    if (exit === null) this.listeners.push(listener);
    else
      queueMicrotask(() => {
        listener(exit);
      });
  }
}

// The child's stdin pipe is almost never written to (sendProcessStdin), so its stream is made on
// first use: a Socket per running program is ~1 KiB of memory and a noticeable part of a spawn.
class LazyStdin {
  #fd: number;
  #socket: Socket | null = null;

  constructor(fd: number) {
    this.#fd = fd;
  }

  get stream(): Socket | null {
    if (this.#socket === null && this.#fd >= 0) {
      this.#socket = new Socket({ fd: this.#fd, readable: false, writable: true });
      // A write to a dead child's stdin raises EPIPE on the stream; callers of sendProcessStdin
      // get their error from write()'s callback, the stream event must not crash the daemon.
      this.#socket.on('error', () => undefined);
    }
    return this.#socket;
  }

  /** At the exit, as child_process does: the stream is destroyed (or the bare fd closed). */
  close(): void {
    if (this.#socket !== null) this.#socket.destroy();
    else if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }
}

const startNative = (
  addon: NativeAddon,
  request: SpawnRequest,
  onExit: (exit: NativeExit) => void,
): NativeChild => {
  try {
    return addon.spawn(toNative(addon, request), onExit);
  } catch (error) {
    if (!isNativeError(error)) throw error;
    throw new SpawnFailure(error.message, error.code, error.syscall);
  }
};

/** Starts one child through the addon; throws SpawnFailure (with `step`) when any step fails. */
export const nativeSpawn = (addon: NativeAddon, request: SpawnRequest): SpawnedChild => {
  checkUser(request);
  const state = new NativeExitState();
  let onExit: (exit: NativeExit) => void = () => undefined;
  const native = startNative(addon, request, (exit) => {
    onExit(exit);
  });
  const stdin = new LazyStdin(native.stdin);
  // A stream here and the reader's own socket on the same pipe would be two net.Sockets per pipe
  // (~25 µs and ~3 KiB each); with rawOutput the caller makes the only one.
  const raw = request.rawOutput === true;
  const stdout = raw ? null : readStream(native.stdout);
  const stderr = raw ? null : readStream(native.stderr);
  const pid = native.pid;
  onExit = (exit) => {
    stdin.close();
    state.report(
      toChildExit(exit),
      pid,
      [stdout, stderr].filter((s): s is Socket => s !== null),
      [native.stdout, native.stderr].filter((fd) => fd >= 0),
    );
  };
  return {
    pid,
    get stdin() {
      return stdin.stream;
    },
    stdout,
    stderr,
    ...(raw ? { stdoutFd: native.stdout, stderrFd: native.stderr } : {}),
    startTime: native.startTime,
    onExit: (listener) => {
      state.add(listener);
    },
    holdExit: (end) => {
      state.held.push(end);
    },
    // Failures are thrown by spawn itself, or come with the exit (spawnFailure).
    onSpawnError: () => undefined,
    // Once the exit is reported, the pid may be another process's.
    settingUp: () => state.exit === null && (state.failedSetup || addon.settingUp(pid)),
  };
};
