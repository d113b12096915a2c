// tend: `bin/tend daemon -c supervisord.conf` (the executable, with its shebang's V8 flags) in the foreground, on the very same config as
// supervisord. The contract this driver assumes (docs/performance.md, "tend's driver contract"):
//   GET  /api/v1/processes on the [unix_http_server] socket → JSON array of getProcessInfo
//        objects (name, group, statename, pid, …)
//   CLI  tend status|start all|stop all|start NAME -c conf
//   POST /RPC2 with supervisord's XML-RPC methods; a 404 means "not there yet" → figure n/a
//   SIGTERM stops tend and its children cleanly
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeSupervisordConf } from '../lib/conf.mjs';
import { HttpStatusError, UnixHttpClient } from '../lib/unixhttp.mjs';
import { runCmd, sleep } from '../lib/util.mjs';
import { XmlRpcClient } from '../lib/xmlrpc.mjs';
import { Driver } from './base.mjs';
import { SpawnedDaemon } from './spawned-daemon.mjs';
import { STATUS_CODES, namespec } from './supervisord.mjs';

export class TendDriver extends Driver {
  static system = 'tend';
  /** The daemon's environment (undefined: the bench's own). */
  static env = undefined;

  // Whether bin/tend and its build exist; whether the daemon works is found by starting it.
  static async available({ repo }) {
    if (!existsSync(path.join(repo, 'bin/tend'))) return { ok: false, reason: 'bin/tend is missing' };
    if (!existsSync(path.join(repo, 'dist/src/main.js')))
      return { ok: false, reason: 'not built (run npm run build)' };
    const output = async (cmd, args) => {
      try {
        return (await runCmd(cmd, args, { timeoutMs: 20_000 })).stdout.trim();
      } catch {
        return undefined;
      }
    };
    const version = await output(path.join(repo, 'bin/tend'), ['--version']);
    const commit = await output('git', ['-C', repo, 'describe', '--always', '--dirty']);
    return { ok: true, version: `${version ?? 'version unknown'}${commit ? ` (git ${commit})` : ''}` };
  }

  get bin() {
    return path.join(this.repo, 'bin/tend');
  }

  async start(programs, extra = '') {
    const { conf, socket } = writeSupervisordConf(this.dir, programs, extra);
    this.conf = conf;
    this.http = new UnixHttpClient(socket);
    this.rpc = new XmlRpcClient(socket);
    this.daemon = new SpawnedDaemon(this.bin, ['daemon', '-c', conf], {
      logPath: path.join(this.dir, 'daemon.out'),
      env: this.constructor.env,
    });
    await this.daemon.waitReady(
      async () => Array.isArray(await this.http.json('GET', '/api/v1/processes')),
      'tend to answer GET /api/v1/processes',
    );
  }

  pid() {
    return this.daemon?.pid();
  }

  async list() {
    const infos = await this.http.json('GET', '/api/v1/processes');
    return infos.map((info) => ({ name: namespec(info), state: info.statename, pid: info.pid }));
  }

  cli(args, options = {}) {
    return runCmd(this.bin, [...args, '-c', this.conf], { timeoutMs: 300_000, ...options });
  }

  startAll() {
    return this.cli(['start', 'all']);
  }

  startProgram(name) {
    return this.cli(['start', name], { okCodes: null });
  }

  stopAll() {
    return this.cli(['stop', 'all']);
  }

  async status() {
    return (await this.cli(['status'], { okCodes: STATUS_CODES })).ms;
  }

  // The stock supervisorctl against tend (the same config names tend's socket).
  async supervisorctlStatus() {
    const args = ['-c', this.conf, 'status'];
    return (await runCmd('supervisorctl', args, { timeoutMs: 300_000, okCodes: STATUS_CODES })).ms;
  }

  async apiCallsPerSecond(seconds, n) {
    try {
      return await this.xmlRpcListPerSecond(seconds, n);
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) {
        return { na: 'XML-RPC not available' };
      }
      throw error;
    }
  }

  // tend's own JSON list endpoint, for comparison with its XML-RPC figure.
  restCallsPerSecond(seconds) {
    return this.loopCalls(() => this.http.json('GET', '/api/v1/processes'), seconds);
  }

  // The cost of `count` sampling passes, as the daemon reports them: reading the processes with
  // ?tend=true keeps the sampler going (one pass a second while read).
  async statsPassMs(count) {
    const seen = new Map();
    for (let i = 0; seen.size < count && i < count * 5; i++) {
      await this.http.json('GET', '/api/v1/processes?tend=true');
      const { stats } = await this.http.json('GET', '/api/v1/daemon');
      if (stats?.lastPass === undefined) return { na: 'no sampler' };
      if (stats.lastPass !== null) seen.set(stats.lastPass.at, stats.lastPass.ms);
      await sleep(1100);
    }
    return [...seen.values()];
  }

  // GET /metrics as Prometheus asks for it (gzip): wall time until the last byte, the size on the
  // wire and of the text.
  scrapeMetrics() {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const headers = { 'Accept-Encoding': 'gzip' };
      const req = http.request(
        { socketPath: this.http.socketPath, path: '/metrics', agent: this.http.agent, headers },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const ms = performance.now() - started;
            const wire = Buffer.concat(chunks);
            if (res.statusCode !== 200) return reject(new HttpStatusError(res.statusCode, wire.toString()));
            const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
            resolve({ ms, bytes: text.length, wireBytes: wire.length });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  quiesce() {
    this.http?.close();
    this.rpc?.close();
  }

  async kill() {
    this.quiesce();
    await this.daemon?.kill();
  }
}

// tend from another checkout (`--baseline DIR`, e.g. a git worktree of main, built): the same
// workloads on the code before a change and after it, interleaved in one run, so a change's gain
// is measured against the machine's noise of the same minutes (the issue's "before/after in the
// same run").
export class TendBaseDriver extends TendDriver {
  static system = 'tend-base';
}

/** Every system that is tend (this checkout, the baseline, the child_process fallback). */
export const TEND_SYSTEMS = ['tend', 'tend-base', 'tend-fork'];
export const isTend = (system) => TEND_SYSTEMS.includes(system);

// tend on its fallback spawner (TEND_SPAWNER=child_process, docs/native.md): only when asked for
// (`--systems tend,tend-fork,…`), to show what the native spawner changes on the same machine.
export class TendForkDriver extends TendDriver {
  static system = 'tend-fork';
  static env = { ...process.env, TEND_SPAWNER: 'child_process' };
}
