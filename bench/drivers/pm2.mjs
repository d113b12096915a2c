// PM2 (pinned below), installed from npm into a scratch directory, never a dependency of tend.
// Each run has its own PM2_HOME in the run's temp dir; apps come from a generated ecosystem.json.
// The daemon is driven by the pm2 CLI (start, stop, status, kill) and by PM2's programmatic API
// (list) through drivers/pm2-helper.mjs.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { signal, track, untrack } from '../lib/cleanup.mjs';
import { descendants, isSameProcess, readStat } from '../lib/procfs.mjs';
import { runCmd, timedOut } from '../lib/util.mjs';
import { Driver } from './base.mjs';

export const PM2_VERSION = '7.0.4';

const here = path.dirname(fileURLToPath(import.meta.url));
const CACHE = process.env.BENCH_PM2_CACHE ?? path.join(here, '..', '.pm2-cache');
const PM2_BIN = path.join(CACHE, 'node_modules', 'pm2', 'bin', 'pm2');

// PM2's status names in supervisord's words.
const STATES = {
  online: 'RUNNING',
  launching: 'STARTING',
  stopping: 'STOPPING',
  stopped: 'STOPPED',
  errored: 'FATAL',
  'one-launch-status': 'EXITED',
};

const installedVersion = () => {
  try {
    return JSON.parse(readFileSync(path.join(CACHE, 'node_modules', 'pm2', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
};

// The ecosystem entry of one neutral program spec (see lib/conf.mjs).
const app = (p) => ({
  name: p.name,
  script: p.argv[0],
  args: p.argv.slice(1),
  interpreter: 'none',
  exec_mode: 'fork',
  autorestart: p.autorestart,
  min_uptime: 1000,
  restart_delay: 0, // and no exp_backoff_restart_delay: restarts without backoff
  max_restarts: 1_000_000, // the default, 16, would mark W3's program errored
  merge_logs: false,
  ...(p.stdout ? { out_file: p.stdout.path, error_file: `${p.stdout.path}.err` } : {}),
  ...(p.pm2 ?? {}),
});

export class Pm2Driver extends Driver {
  static system = 'pm2';

  // Installs PM2 into the scratch directory unless the pinned version is already there.
  static async available() {
    if (installedVersion() !== PM2_VERSION) {
      try {
        mkdirSync(CACHE, { recursive: true });
        writeFileSync(path.join(CACHE, 'package.json'), '{"name":"tend-bench-pm2","private":true}\n');
        await runCmd(
          'npm',
          [
            'install',
            '--prefix',
            CACHE,
            '--no-audit',
            '--no-fund',
            '--no-package-lock',
            `pm2@${PM2_VERSION}`,
          ],
          { timeoutMs: 300_000 },
        );
      } catch (error) {
        return { ok: false, reason: `npm install pm2@${PM2_VERSION} failed: ${error.message}` };
      }
    }
    const version = installedVersion();
    return version ? { ok: true, version } : { ok: false, reason: 'pm2 not installed' };
  }

  // PM2 has no size-based rotation of its own (pm2-logrotate is a separate module that polls).
  static rotation = false;

  get env() {
    return { ...process.env, PM2_HOME: this.home };
  }

  cli(args, options = {}) {
    return runCmd(process.execPath, [PM2_BIN, ...args], { env: this.env, timeoutMs: 300_000, ...options });
  }

  async start(programs) {
    this.home = path.join(this.dir, 'pm2');
    mkdirSync(this.home, { recursive: true });
    this.ecosystem = path.join(this.dir, 'ecosystem.json');
    writeFileSync(this.ecosystem, JSON.stringify({ apps: programs.map(app) }, null, 2));
    track(this);
    await this.cli(['ping'], { timeoutMs: 60_000 });
    this.godPid = Number(readFileSync(path.join(this.home, 'pm2.pid'), 'utf8'));
    this.godStart = readStat(this.godPid)?.starttime;
    await this.startHelper();
  }

  startHelper() {
    this.helper = spawn(process.execPath, [path.join(here, 'pm2-helper.mjs'), CACHE], {
      env: this.env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    this.pending = new Map();
    this.nextId = 1;
    const connected = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve, reject });
      this.helper.on('exit', (code) => {
        for (const { reject: fail } of this.pending.values()) fail(new Error(`pm2 helper exited (${code})`));
        this.pending.clear();
      });
    });
    createInterface({ input: this.helper.stdout }).on('line', (line) => {
      if (!line.startsWith('@@')) return;
      const { id, ok, result, error } = JSON.parse(line.slice(2));
      const waiter = this.pending.get(id);
      this.pending.delete(id);
      if (ok) waiter?.resolve(result);
      else waiter?.reject(new Error(`pm2: ${error}`));
    });
    return timedOut(connected, 30_000).then((late) => {
      if (late) throw new Error('pm2 helper did not connect in 30 s');
    });
  }

  // One request to the helper; rejects after 60 s (plus the length of a call loop).
  ask(request) {
    if (!this.helper || this.helper.exitCode !== null)
      return Promise.reject(new Error('pm2 helper is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          reject(new Error(`pm2 helper: no answer to ${request.cmd}`));
        },
        60_000 + (request.seconds ?? 0) * 1000,
      );
      const settle = (fn) => (value) => {
        clearTimeout(timer);
        fn(value);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.helper.stdin.write(`${JSON.stringify({ id, ...request })}\n`);
    });
  }

  pid() {
    return this.godPid && isSameProcess({ pid: this.godPid, starttime: this.godStart })
      ? this.godPid
      : undefined;
  }

  async list() {
    if (!this.helper || this.helper.exitCode !== null) await this.startHelper();
    const procs = await this.ask({ cmd: 'list' });
    return procs.map((p) => ({ name: p.name, state: STATES[p.status] ?? p.status, pid: p.pid, out: p.out }));
  }

  // PM2 may name the file otherwise than out_file said (gen.log → gen-0.log): ask it.
  async stdoutLog(name) {
    return (await this.list()).find((p) => p.name === name)?.out;
  }

  startAll() {
    return this.cli(['start', this.ecosystem]);
  }

  startProgram(name) {
    return this.cli(['start', this.ecosystem, '--only', name], { okCodes: null });
  }

  stopAll() {
    return this.cli(['stop', 'all']);
  }

  async status() {
    return (await this.cli(['status'])).ms;
  }

  // W10: PM2's metrics are PM2 Plus (paid); `pm2 jlist` (every process with CPU and memory) is the nearest.
  async nearestScrapeMs() {
    return (await this.cli(['jlist'])).ms;
  }

  async apiCallsPerSecond(seconds) {
    if (!this.helper || this.helper.exitCode !== null) await this.startHelper();
    return { value: await this.ask({ cmd: 'loop', seconds }) };
  }

  // Disconnects the helper: PM2's pub/sub and RPC connections would otherwise stay open.
  quiesce() {
    if (this.helper && this.helper.exitCode === null) {
      this.helper.stdin.end();
      this.helper.kill('SIGTERM');
    }
    this.helper = undefined;
  }

  // `pm2 kill`, then SIGKILL of the God daemon and what was below it if anything is left.
  // Concurrent calls (a run's `finally` and a Ctrl-C) share one kill.
  kill() {
    this.killing ??= this.killOnce();
    return this.killing;
  }

  async killOnce() {
    this.quiesce();
    const pid = this.godPid ? this.pid() : this.readPidFile();
    const leftovers = pid ? descendants(pid) : [];
    if (this.home && existsSync(path.join(this.home, 'rpc.sock'))) {
      await this.cli(['kill'], { timeoutMs: 30_000, okCodes: null }).catch(() => undefined);
    }
    if (pid && this.pid()) signal(pid, 'SIGKILL');
    for (const proc of leftovers) if (isSameProcess(proc)) signal(proc.pid, 'SIGKILL');
    this.godPid = undefined;
    untrack(this);
  }

  // The God daemon's pid when `pm2 ping` was interrupted before the bench read it.
  readPidFile() {
    try {
      return Number(readFileSync(path.join(this.home, 'pm2.pid'), 'utf8')) || undefined;
    } catch {
      return undefined;
    }
  }
}
