// What every system driver shares. A driver runs one daemon of one system for one workload run:
//
//   available()                 → { ok: true, version } | { ok: false, reason }   (static)
//   start(programs)             writes the system's config for the programs, starts the daemon
//                               and resolves once its control API answers
//   pid()                       the daemon's pid (PM2: the God daemon)
//   list()                      [{ name, state, pid }], state in supervisord's names (RUNNING, …)
//   startAll() / startProgram(name) / stopAll()   through the system's CLI
//   status()                    runs the system's status CLI once; resolves its wall time in ms
//   apiCallsPerSecond(seconds)  sequential list calls on one connection → { value } | { na }
//   stdoutLog(name, configured) the path of the program's stdout log file
//   quiesce()                   closes the bench's own connections (before an idle measurement)
//   kill()                      stops the daemon and everything below it; safe to call twice
//
// waitAll(), rssMiB() and cpuSeconds() are built on those.
import { treeCpuSeconds, treeRssMiB } from '../lib/procfs.mjs';
import { now, waitFor } from '../lib/util.mjs';

export class Driver {
  constructor({ dir, tools, repo }) {
    this.dir = dir;
    this.tools = tools;
    this.repo = repo;
    this.programPids = [];
  }

  // Polls list() until `n` programs are in `state`; resolves the time of the last poll (ms).
  // Also records the programs' pids, which the memory and CPU figures leave out.
  async waitAll(n, state, timeoutMs) {
    await waitFor(
      async () => {
        const procs = await this.list();
        const done = procs.filter((p) => p.state === state).length >= n;
        if (done) this.programPids = procs.map((p) => p.pid).filter((pid) => pid > 0);
        return done;
      },
      { timeoutMs, what: `${n} programs ${state} in ${this.constructor.name}` },
    );
    return now();
  }

  waitAllRunning(n, timeoutMs) {
    return this.waitAll(n, 'RUNNING', timeoutMs);
  }

  waitAllStopped(n, timeoutMs) {
    return this.waitAll(n, 'STOPPED', timeoutMs);
  }

  rssMiB() {
    return treeRssMiB(this.pid(), this.programPids);
  }

  cpuSeconds() {
    return treeCpuSeconds(this.pid(), this.programPids);
  }

  // Sequential calls of `call` on one kept-alive connection for `seconds`; calls per second.
  // getAllProcessInfo in a loop: the first answer is parsed and must list `n` processes, the
  // others are only checked to be whole answers (see XmlRpcClient.callRaw).
  async xmlRpcListPerSecond(seconds, n) {
    const first = await this.rpc.call('supervisor.getAllProcessInfo');
    if (!Array.isArray(first) || first.length !== n) {
      throw new Error(
        `getAllProcessInfo listed ${Array.isArray(first) ? first.length : typeof first}, not ${n}`,
      );
    }
    return this.loopCalls(() => this.rpc.callRaw('supervisor.getAllProcessInfo'), seconds);
  }

  async loopCalls(call, seconds) {
    await call(); // connects, and fails early if the API is missing
    let count = 0;
    const started = now();
    const end = started + seconds * 1000;
    while (now() < end) {
      await call();
      count++;
    }
    return { value: count / ((now() - started) / 1000) };
  }

  // Where the program's stdout log really is (asked after it started).
  stdoutLog(_name, configured) {
    return configured;
  }

  quiesce() {}
}
