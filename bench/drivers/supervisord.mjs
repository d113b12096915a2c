// supervisord 4.2.5: `supervisord -n -c conf` in the foreground, driven by `supervisorctl -c conf`
// and by XML-RPC on its unix socket.
import path from 'node:path';
import { writeSupervisordConf } from '../lib/conf.mjs';
import { runCmd } from '../lib/util.mjs';
import { XmlRpcClient } from '../lib/xmlrpc.mjs';
import { Driver } from './base.mjs';
import { SpawnedDaemon } from './spawned-daemon.mjs';

// supervisorctl status exits 3 when some process is not RUNNING (tend status too).
export const STATUS_CODES = [0, 3];

// Names as supervisorctl prints them: `name` for a homogeneous group, else `group:name`.
export const namespec = (info) => (info.group === info.name ? info.name : `${info.group}:${info.name}`);

export class SupervisordDriver extends Driver {
  static system = 'supervisord';

  static async available() {
    try {
      const { stdout } = await runCmd('supervisord', ['--version'], { timeoutMs: 20_000 });
      await runCmd('supervisorctl', ['version', '-h'], { timeoutMs: 20_000, okCodes: null });
      return { ok: true, version: stdout.trim() };
    } catch (error) {
      return { ok: false, reason: error.message };
    }
  }

  async start(programs) {
    const { conf, socket } = writeSupervisordConf(this.dir, programs);
    this.conf = conf;
    this.rpc = new XmlRpcClient(socket);
    this.daemon = new SpawnedDaemon('supervisord', ['-n', '-c', conf], {
      logPath: path.join(this.dir, 'daemon.out'),
    });
    await this.daemon.waitReady(
      async () => (await this.rpc.call('supervisor.getState')).statecode === 1,
      'supervisord to answer XML-RPC',
    );
  }

  pid() {
    return this.daemon?.pid();
  }

  async list() {
    const infos = await this.rpc.call('supervisor.getAllProcessInfo');
    return infos.map((info) => ({ name: namespec(info), state: info.statename, pid: info.pid }));
  }

  ctl(args, options = {}) {
    return runCmd('supervisorctl', ['-c', this.conf, ...args], { timeoutMs: 300_000, ...options });
  }

  startAll() {
    return this.ctl(['start', 'all']);
  }

  startProgram(name) {
    return this.ctl(['start', name], { okCodes: null });
  }

  stopAll() {
    return this.ctl(['stop', 'all']);
  }

  async status() {
    return (await this.ctl(['status'], { okCodes: STATUS_CODES })).ms;
  }

  supervisorctlStatus() {
    return this.status();
  }

  // W10: supervisord has no metrics endpoint; listing every program is the nearest.
  nearestScrapeMs() {
    return this.status();
  }

  apiCallsPerSecond(seconds, n) {
    return this.xmlRpcListPerSecond(seconds, n);
  }

  quiesce() {
    this.rpc?.close();
  }

  async kill() {
    this.rpc?.close();
    await this.daemon?.kill();
  }
}
