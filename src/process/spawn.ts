import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { TendError } from '../errors/index.js';
import { loadNative, type NativeAddon } from './native.js';
import { groupHasLiveMember } from './os.js';
import { runCommandWith, type RunOptions, type RunResult } from './run-command.js';
import { forkSpawn } from './spawn-fork.js';
import { nativeSpawn } from './spawn-native.js';
import type { SignalResult, Spawner } from './spawner.js';

// The seam to the operating system (STYLE.md §4): spawn.ts, spawn-fork.ts (child_process),
// spawn-native.ts and native.ts (tend's addon) and os.ts are the only modules that start
// processes or send signals. `selectSpawner` picks the native spawner where the addon loads,
// else child_process; TEND_SPAWNER=child_process forces the latter, TEND_SPAWNER=native insists
// on the former (docs/native.md).

// Children that libuv spawned (child_process: the fallback spawner, exec probes, the guardian)
// are registered with the addon, if it is loaded, so that the orphan reaper never takes the exit
// status libuv is waiting for. The registration ends when libuv has reaped the child.
const trackLibuvChild = (child: ChildProcess): void => {
  const { addon } = loadNative();
  const pid = child.pid;
  if (addon === null || pid === undefined) return;
  addon.own(pid);
  child.once('exit', () => {
    addon.disown(pid);
  });
};

const kill = (pid: number, signal: string, group: boolean): SignalResult => {
  try {
    process.kill(group ? -pid : pid, `SIG${signal}` as NodeJS.Signals);
    return 'sent';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
    throw error;
  }
};

// A child of the native spawner may still be between clone and setsid (a batch of starts does not
// wait for the exec): its group does not exist yet, so the signal goes to the child itself. It
// blocks every signal until just before execve, with every handler back at its default (one that
// would dump core ends it without a dump: child.c), so the signal ends it there as it would have
// ended the program. settingUp is read before the group signal: the child may set up and exec in
// between, and the pid is still ours (not reaped) while the addon says it is setting up.
const nativeKill =
  (addon: NativeAddon) =>
  (pid: number, signal: string, group: boolean): SignalResult => {
    const settingUp = group && addon.settingUp(pid);
    const result = kill(pid, signal, group);
    return result === 'gone' && settingUp ? kill(pid, signal, false) : result;
  };

const probe = (pid: number, group: boolean): boolean => {
  try {
    process.kill(group ? -pid : pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !group || groupHasLiveMember(pid);
};

export type SpawnerKind = 'native' | 'child_process';

export interface SpawnerChoice {
  readonly spawner: Spawner;
  readonly kind: SpawnerKind;
  /** What to say once at start-up: which spawner, and why not the native one. */
  readonly note: string;
  /** Whether the note is a warning (the native spawner was wanted but cannot load). */
  readonly degraded: boolean;
}

const forkSpawner: Spawner = { spawn: (request) => forkSpawn(request, trackLibuvChild), kill, probe };

const SPAWNER_VALUES = ['auto', 'native', 'child_process'];

/**
 * The spawner for this daemon, from TEND_SPAWNER (auto, the default; native; child_process).
 * Throws CONFIG_INVALID for another value, or for `native` where the addon cannot load.
 */
export const selectSpawner = (env: Readonly<Record<string, string | undefined>>): SpawnerChoice => {
  const wanted = env.TEND_SPAWNER === undefined || env.TEND_SPAWNER === '' ? 'auto' : env.TEND_SPAWNER;
  if (!SPAWNER_VALUES.includes(wanted)) {
    throw new TendError(
      'CONFIG_INVALID',
      `TEND_SPAWNER must be auto, native or child_process, not '${wanted}'`,
    );
  }
  if (wanted === 'child_process') {
    return {
      spawner: forkSpawner,
      kind: 'child_process',
      note: 'spawner: child_process (TEND_SPAWNER=child_process)',
      degraded: false,
    };
  }
  const { addon, reason } = loadNative();
  if (addon === null) {
    if (wanted === 'native')
      throw new TendError(
        'CONFIG_INVALID',
        `TEND_SPAWNER=native, but the native spawner cannot load: ${reason}`,
      );
    return {
      spawner: forkSpawner,
      kind: 'child_process',
      note: `spawner: child_process, because the native spawner is unavailable: ${reason}`,
      degraded: true,
    };
  }
  return {
    spawner: { spawn: (request) => nativeSpawn(addon, request), kill: nativeKill(addon), probe },
    kind: 'native',
    note: 'spawner: native (clone with CLONE_VM, exits through pidfd)',
    degraded: false,
  };
};

/** Signals and probes only (they need no choice of spawner): for leftovers of an earlier run. */
export const signaller: Pick<Spawner, 'kill' | 'probe'> = { kill, probe };

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
  trackLibuvChild(child);
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

let defaultSpawner: Spawner | undefined;

// The spawner of this process's TEND_SPAWNER, for what runs outside the lifecycle (exec probes);
// a bad value there is reported by the daemon at start-up, here it means child_process.
const spawnerForCommands = (): Spawner => {
  if (defaultSpawner === undefined) {
    try {
      defaultSpawner = selectSpawner(process.env).spawner;
    } catch {
      defaultSpawner = forkSpawner;
    }
  }
  return defaultSpawner;
};

/** Runs a short command to completion (exec probes): see run-command.ts. Never rejects. */
export const runCommand = (argv: readonly string[], options: RunOptions): Promise<RunResult> =>
  runCommandWith(spawnerForCommands(), argv, options);
