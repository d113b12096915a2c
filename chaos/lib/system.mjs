// One daemon under test for a chaos scenario: tend (`bin/tend daemon -c FILE`) or supervisord
// (`supervisord -n -c FILE`) on the very same config text, in the foreground, tracked for cleanup
// by the bench's cleanup module (a Ctrl-C or a failure never leaves a daemon behind).
// Unlike the bench drivers, a scenario writes its own program sections (it needs keys the bench
// never sets) and may wrap the daemon in another command (prlimit, faketime).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpawnedDaemon } from '../../bench/drivers/spawned-daemon.mjs';
import { UnixHttpClient } from '../../bench/lib/unixhttp.mjs';
import { XmlRpcClient } from '../../bench/lib/xmlrpc.mjs';
import { readRssKiB, readStat } from '../../bench/lib/procfs.mjs';
import { supervisordHeader } from '../../bench/lib/conf.mjs';
import { which } from '../../bench/lib/util.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEND_BIN = path.join(REPO, 'bin/tend');

/** Writes DIR/NAME.conf: control socket, [supervisord] with `daemonExtra`, then `programs` (text). */
export const writeConf = (dir, { programs, daemonExtra = [], name = 'chaos' }) => {
  const socket = path.join(dir, `${name}.sock`);
  const logfile = path.join(dir, `${name}-daemon.log`);
  const pidfile = path.join(dir, `${name}.pid`);
  const text = [
    supervisordHeader(dir, { socket, logfile, pidfile, daemonLines: daemonExtra }),
    programs,
    '',
  ].join('\n');
  const conf = path.join(dir, `${name}.conf`);
  writeFileSync(conf, text);
  return { conf, socket, logfile };
};

export const supervisordAvailable = () => {
  try {
    which('supervisord');
    return true;
  } catch {
    return false;
  }
};

export class System {
  /** `system`: 'tend' | 'supervisord'; `wrap`: argv put before the daemon's (prlimit …). */
  constructor(system, dir, { conf, socket, logfile }, { wrap = [], env, outName = 'daemon.out' } = {}) {
    this.system = system;
    this.dir = dir;
    this.conf = conf;
    this.socket = socket;
    this.logfile = logfile;
    this.wrap = wrap;
    this.env = env;
    this.outPath = path.join(dir, `${system}-${outName}`);
    this.http = new UnixHttpClient(socket);
    this.rpc = new XmlRpcClient(socket);
  }

  argv() {
    const own =
      this.system === 'tend' ? [TEND_BIN, 'daemon', '-c', this.conf] : ['supervisord', '-n', '-c', this.conf];
    return [...this.wrap, ...own];
  }

  async start() {
    this.launch();
    await this.waitReady();
    return this;
  }

  /** Starts the daemon without waiting for its API (a kill -9 during start-up). */
  launch() {
    const [cmd, ...args] = this.argv();
    this.daemon = new SpawnedDaemon(cmd, args, { logPath: this.outPath, env: this.env, graceMs: 15_000 });
    return this;
  }

  waitReady() {
    return this.daemon.waitReady(
      async () => (await this.rpc.call('supervisor.getState')).statecode === 1,
      `${this.system} to answer`,
    );
  }

  /** kill -9 of the daemon alone (its children and helpers are left to what the system does). */
  async killHard() {
    this.close();
    process.kill(this.pid(), 'SIGKILL');
    await this.daemon.exited;
  }

  pid() {
    return this.daemon?.pid();
  }

  /** [{ name, group, state, pid }] through XML-RPC (both systems speak it). */
  async list() {
    const infos = await this.rpc.call('supervisor.getAllProcessInfo');
    return infos.map((i) => ({
      name: i.name,
      group: i.group,
      state: i.statename,
      pid: i.pid,
      spawnerr: i.spawnerr,
    }));
  }

  rssMiB() {
    const pid = this.pid();
    return pid ? readRssKiB(pid) / 1024 : 0;
  }

  /** The daemon's own CPU seconds (utime + stime; not its children's). */
  cpuSeconds() {
    const stat = this.pid() && readStat(this.pid());
    return stat ? (stat.utime + stat.stime) / 100 : 0;
  }

  fdCount() {
    try {
      return readdirSync(`/proc/${this.pid()}/fd`).length;
    } catch {
      return 0;
    }
  }

  daemonLog() {
    return existsSync(this.logfile) ? readFileSync(this.logfile, 'utf8') : '';
  }

  output() {
    return existsSync(this.outPath) ? readFileSync(this.outPath, 'utf8') : '';
  }

  close() {
    this.http.close();
    this.rpc.close();
  }

  async kill() {
    this.close();
    await this.daemon?.kill();
  }
}
