import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { header, run, startDaemon, type CommandResult } from './daemon.js';
import { tempDir } from './tmp.js';
import { rawPost } from './xmlrpc.js';

// The real supervisord 4.2.5 and supervisorctl, for conformance tests: the same config runs under
// `supervisord -n` in its own temp dir, and the stock supervisorctl talks to either server.

export const SUPERVISORD = '/usr/bin/supervisord';
export const SUPERVISORCTL = '/usr/bin/supervisorctl';

/** Why the real supervisor cannot be used here, or null when it can. */
export const missingSupervisor = (): string | null => {
  for (const file of [SUPERVISORD, SUPERVISORCTL]) {
    if (!existsSync(file)) return `${file} is not installed (Debian package supervisor 4.2.5)`;
  }
  const version = spawnSync(SUPERVISORD, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return version === '4.2.5' ? null : `${SUPERVISORD} is ${version || 'unusable'}, not 4.2.5`;
};

export type Kind = 'tend' | 'supervisord';

/** A running server (tend or supervisord) on a config in its own directory. */
export interface Server {
  readonly kind: Kind;
  readonly dir: string;
  readonly conf: string;
  readonly socket: string;
  readonly pid: number;
  /** Runs `supervisorctl -c conf ARGS`. */
  ctl(args: readonly string[], options?: { input?: string; timeoutMs?: number }): Promise<CommandResult>;
  stop(): Promise<void>;
}

export const supervisorctl = (
  conf: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<CommandResult> => run(SUPERVISORCTL, ['-c', conf, ...args], options);

const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exit;
  clearTimeout(timer);
};

export interface ServerOptions {
  /** Extra files for the config directory (relative name → content). */
  readonly files?: Record<string, string>;
  /** Replaces the generated [supervisord]/[unix_http_server]/[supervisorctl] header. */
  readonly header?: (dir: string, kind: Kind) => string;
}

export const startSupervisord = async (body: string, options: ServerOptions = {}): Promise<Server> => {
  const dir = tempDir('sd-');
  for (const [name, content] of Object.entries(options.files ?? {}))
    writeFileSync(path.join(dir, name), content);
  const conf = path.join(dir, 'tend.conf');
  writeFileSync(conf, `${options.header?.(dir, 'supervisord') ?? header(dir)}\n${body}\n`);
  const child = spawn(SUPERVISORD, ['-n', '-c', conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  after(() => stopChild(child));
  const socket = path.join(dir, 't.sock');
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`supervisord exited early:\n${output}`);
    try {
      // Any HTTP answer means it is up (a 401 too, when the socket asks for credentials).
      await rawPost(
        { socketPath: socket },
        '<methodCall><methodName>supervisor.getState</methodName></methodCall>',
      );
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`supervisord did not come up:\n${output}`);
      await sleep(50);
    }
  }
  return {
    kind: 'supervisord',
    dir,
    conf,
    socket,
    pid: child.pid ?? 0,
    ctl: (args, options = {}) => supervisorctl(conf, args, { ...options, cwd: dir }),
    stop: () => stopChild(child),
  };
};

export const startTend = async (body: string, options: ServerOptions = {}): Promise<Server> => {
  const dir = tempDir();
  const daemon = await startDaemon(body, {
    dir,
    files: options.files ?? {},
    ...(options.header === undefined ? {} : { header: options.header(dir, 'tend') }),
  });
  return {
    kind: 'tend',
    dir: daemon.dir,
    conf: daemon.conf,
    socket: daemon.socket,
    pid: daemon.pid,
    ctl: (args, options = {}) => supervisorctl(daemon.conf, args, { ...options, cwd: daemon.dir }),
    stop: async () => {
      await daemon.stop();
    },
  };
};

/** A TCP port nothing listens on right now (another process may still take it: tests only). */
export const freePort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};
