import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { ProcessInfo } from '../../src/supervisor/index.js';
import { tempDir } from './tmp.js';

// Starts the real daemon the way users do (`bin/tend daemon -c FILE`, the executable itself) in a temp directory and
// talks to it over its unix socket. Every daemon is stopped when the test file ends, even after a
// failure: SIGTERM, then SIGKILL (the guardian then stops its children).

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEND = path.join(ROOT, 'bin/tend');
export const FIXTURES = path.join(ROOT, 'test/fixtures/programs');
export const fixture = (name: string): string => path.join(FIXTURES, name);

export interface HttpResult<T> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

export const httpOverSocket = <T = unknown>(
  socketPath: string,
  method: string,
  urlPath: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> =>
  new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path: urlPath, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: body as T, text });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const run = async (
  file: string,
  args: readonly string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
  } = {},
): Promise<CommandResult> => {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(options.input);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const state = { killed: false };
  const timer = setTimeout(() => {
    state.killed = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  // A failed assertion on the exit code shows only the numbers: say in stderr why there is none.
  if (state.killed) stderr += `\n[test helper: ${path.basename(file)} killed after ${timeoutMs} ms]\n`;
  return { code, stdout, stderr };
};

export interface DaemonOptions {
  /** Extra files to write into the directory first (relative path → content). */
  readonly files?: Record<string, string>;
  /** Replace the generated [supervisord]/[unix_http_server] header entirely. */
  readonly header?: string;
  readonly env?: Record<string, string | undefined>;
  readonly args?: readonly string[];
  /** An existing directory to run in (a restart after kill -9 reuses the old one). */
  readonly dir?: string;
  /** A command that execs the daemon, e.g. ['prlimit', '--nofile=64:64'] (the pid stays the daemon's). */
  readonly wrapper?: readonly string[];
}

export class Daemon {
  readonly dir: string;
  readonly conf: string;
  readonly socket: string;
  readonly child: ChildProcess;
  #output = '';

  constructor(dir: string, conf: string, child: ChildProcess) {
    this.dir = dir;
    this.conf = conf;
    this.socket = path.join(dir, 't.sock');
    this.child = child;
    child.stdout?.on('data', (c: Buffer) => (this.#output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.#output += c.toString()));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get output(): string {
    return this.#output;
  }

  /** Resolves with the exit code once the daemon has exited (at once if it already has). */
  async exit(): Promise<number | null> {
    if (!this.exited) await once(this.child, 'exit');
    return this.child.exitCode;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<HttpResult<T>> {
    return httpOverSocket<T>(this.socket, method, urlPath, {
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  }

  async info(): Promise<ProcessInfo[]> {
    const res = await this.api<ProcessInfo[]>('GET', '/api/v1/processes');
    if (res.status !== 200) throw new Error(`GET /api/v1/processes: ${res.status} ${res.text}`);
    return res.body;
  }

  async process(name: string): Promise<ProcessInfo> {
    const found = (await this.info()).find((p) => p.name === name || `${p.group}:${p.name}` === name);
    if (found === undefined) throw new Error(`no process ${name}`);
    return found;
  }

  /** Polls the API until `predicate` holds; fails with the last state seen after `timeoutMs`. */
  async waitFor(
    what: string,
    predicate: (infos: ProcessInfo[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<ProcessInfo[]> {
    const deadline = Date.now() + timeoutMs;
    let last: ProcessInfo[] = [];
    while (Date.now() < deadline) {
      last = await this.info();
      if (predicate(last)) return last;
      await sleep(50);
    }
    const states = last.map((p) => `${p.group}:${p.name}=${p.statename}`).join(' ');
    throw new Error(`timed out waiting for ${what}; last: ${states}\n--- daemon output ---\n${this.#output}`);
  }

  waitForState(name: string, state: string, timeoutMs?: number): Promise<ProcessInfo[]> {
    return this.waitFor(
      `${name} to be ${state}`,
      (infos) =>
        infos.some((p) => (p.name === name || `${p.group}:${p.name}` === name) && p.statename === state),
      timeoutMs,
    );
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = pattern.exec(this.#output);
      if (match !== null) return match;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${String(pattern)} in daemon output:\n${this.#output}`);
  }

  /**
   * Polls `tend tail NAME` until its output matches: a program's first line may come well after
   * it is RUNNING (a Node program on a loaded machine takes longer than startsecs to print).
   */
  async waitForTail(name: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = (await this.tend(['tail', name])).stdout;
      if (pattern.test(last)) return last;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${String(pattern)} in tend tail ${name}; last: ${last}`);
  }

  /** Runs `bin/tend ARGS -c conf` against this daemon. */
  tend(args: readonly string[]): Promise<CommandResult> {
    return run(TEND, ['-c', this.conf, ...args], { cwd: this.dir });
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM and wait for the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.exited) return this.child.exitCode;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const [code] = (await exit) as [number | null];
    clearTimeout(timer);
    return code;
  }
}

export const header = (dir: string): string => `[supervisord]
nodaemon = true
logfile = ${dir}/tend.log
pidfile = ${dir}/tend.pid
childlogdir = ${dir}
loglevel = info

[unix_http_server]
file = ${dir}/t.sock

[supervisorctl]
serverurl = unix://${dir}/t.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
`;

/** Writes `tend.conf` (header + body) into a temp dir and starts `tend daemon` on it. */
export const spawnDaemon = (body: string, options: DaemonOptions = {}): Daemon => {
  const dir = options.dir ?? tempDir();
  for (const [name, content] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  const conf = path.join(dir, 'tend.conf');
  writeFileSync(conf, `${options.header ?? header(dir)}\n${body}\n`);
  const [file, ...prefix] = options.wrapper ?? [TEND];
  const argv = [...prefix, ...(options.wrapper === undefined ? [] : [TEND])];
  const child = spawn(file ?? TEND, [...argv, 'daemon', '-c', conf, ...(options.args ?? [])], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const daemon = new Daemon(dir, conf, child);
  after(async () => {
    await daemon.stop(10_000);
  });
  return daemon;
};

/** Starts a daemon and waits until its API answers. */
export const startDaemon = async (body: string, options: DaemonOptions = {}): Promise<Daemon> => {
  const daemon = spawnDaemon(body, options);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (daemon.exited) throw new Error(`daemon exited early (${daemon.child.exitCode}):\n${daemon.output}`);
    try {
      // 401: up, with credentials on the socket.
      if ([200, 401].includes((await daemon.api('GET', '/api/v1/processes')).status)) return daemon;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`daemon did not come up:\n${daemon.output}`);
    await sleep(50);
  }
};

/** Live (non-zombie) processes whose process group is `pgid`, from /proc. */
export const groupMembers = (pgid: number): number[] => {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
};

/** Whether a pid is a live (non-zombie) process. */
export const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};
