import { Socket } from 'node:net';
import { release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'node:test';
import {
  loadNative,
  type NativeAddon,
  type NativeExit,
  type NativeSpawnRequest,
} from '../../src/process/native.js';

// For the tests of the native seam: the addon (or why it is missing), a request with defaults,
// and a run that collects the child's output and its exit.

/**
 * The addon, or a skip with the reason. On Linux with pidfd_open (5.3+) the addon must be there:
 * CI builds it, so its absence fails instead of skipping.
 */
export const addonOrSkip = (t: TestContext): NativeAddon | null => {
  const { addon, reason } = loadNative();
  if (addon !== null) return addon;
  const [major = 0, minor = 0] = release().split('.').map(Number);
  if (process.platform === 'linux' && (major > 5 || (major === 5 && minor >= 3))) {
    throw new Error(`the native addon must load on this Linux ${major}.${minor}: ${reason}`);
  }
  t.skip(`native spawner unavailable: ${reason}`);
  return null;
};

export const request = (overrides: Partial<NativeSpawnRequest> = {}): NativeSpawnRequest => ({
  file: '/bin/sh',
  argv: ['sh', '-c', 'exit 0'],
  env: ['PATH=/usr/bin:/bin'],
  pidEnv: [],
  cwd: null,
  umask: -1,
  uid: -1,
  gid: -1,
  rlimits: [],
  newSession: true,
  stdin: 'null',
  stdout: 'pipe',
  stderr: 'stdout',
  extraFds: [],
  ...overrides,
});

export const collect = (fd: number): Promise<string> =>
  new Promise((resolve) => {
    if (fd < 0) {
      resolve('');
      return;
    }
    const socket = new Socket({ fd, readable: true, writable: false });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      resolve(text);
    });
  });

export interface NativeRun {
  readonly pid: number;
  readonly exit: NativeExit;
  readonly output: string;
}

/** Spawns through the addon and waits for both the exit and the end of the output. */
export const runNative = async (
  addon: NativeAddon,
  overrides: Partial<NativeSpawnRequest>,
): Promise<NativeRun> => {
  let onExit: (exit: NativeExit) => void = () => undefined;
  const exited = new Promise<NativeExit>((resolve) => (onExit = resolve));
  const child = addon.spawn(request(overrides), (exit) => {
    onExit(exit);
  });
  const [exit, output] = await Promise.all([exited, collect(child.stdout)]);
  return { pid: child.pid, exit, output };
};

/**
 * Waits until a child of the addon has exec'd (spawn returns before): what /proc shows of it then
 * is the program's, not the child's set-up.
 */
export const untilExeced = (addon: NativeAddon, pid: number): Promise<void> =>
  until(`pid ${pid} to exec`, () => !addon.settingUp(pid), 20_000, 1);

/** Polls `check` every 20 ms until it returns true; fails after `ms`. */
export const until = async (what: string, check: () => boolean, ms = 20_000, everyMs = 20): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
};
