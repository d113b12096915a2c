// Children that misbehave. Each program is a one-liner; each judgement is about the daemon: it
// stays responsive and bounded, and a stop always ends in STOPPED.
import { sleep, waitFor, now } from '../../bench/lib/util.mjs';
import { copiesBySlot, killCopies, sleepBase } from '../lib/procs.mjs';
import { seeded } from '../lib/random.mjs';
import { fmt, quantile } from '../lib/measure.mjs';

const stateOf = async (system, name) => (await system.list()).find((p) => p.name === name);
const waitState = (system, name, state, timeoutMs = 60_000) =>
  waitFor(async () => (await stateOf(system, name))?.state === state, {
    timeoutMs,
    what: `${name} ${state}`,
  });

/** Stops `name` over XML-RPC and resolves how long the stop took (ms). */
const timedStop = async (system, name) => {
  const t0 = now();
  await system.rpc.call('supervisor.stopProcess', name, true);
  return now() - t0;
};

export const setsidGrandchildren = {
  id: 'child-setsid-grandchildren',
  title: 'a child that ignores SIGTERM and forks setsid grandchildren',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { grandchildren: 2 }, full: { grandchildren: 10 } },
  async run(ctx, { grandchildren }) {
    const base = sleepBase(seeded(ctx.seed + 7));
    const forks = Array.from({ length: grandchildren }, (_, i) => `setsid /bin/sleep ${base + i} &`).join(
      ' ',
    );
    const programs = [
      '[program:rogue]',
      `command=/bin/sh -c 'trap "" TERM; ${forks} while :; do sleep 1; done'`,
      'startsecs=1',
      'stopwaitsecs=2',
      'stopasgroup=true',
      'killasgroup=true',
    ].join('\n');
    const system = await ctx.start({ programs });
    try {
      await waitState(system, 'rogue', 'RUNNING');
      await waitFor(() => copiesBySlot(base, grandchildren).every((p) => p.length === 1), {
        timeoutMs: 10_000,
        what: 'grandchildren up',
      });
      const ms = await timedStop(system, 'rogue');
      const state = (await stateOf(system, 'rogue')).state;
      await sleep(1000);
      const left = copiesBySlot(base, grandchildren).filter((p) => p.length > 0).length;
      return {
        pass: state === 'STOPPED' && ctx.timed(ms < 3500),
        figure: `stop took ${fmt(ms / 1000)} s (stopwaitsecs 2) → ${state}; ${left}/${grandchildren} setsid grandchildren left running`,
        promise:
          'STOPPED within stopwaitsecs + 1.5 s; setsid grandchildren are out of reach (counted, docs/reliability.md)',
      };
    } finally {
      killCopies(base, grandchildren);
    }
  },
};

export const closedStdout = {
  id: 'child-closed-stdout',
  title: 'a child that closes stdout and stderr but keeps running',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { seconds: 1 }, full: { seconds: 5 } },
  async run(ctx, { seconds }) {
    const system = await ctx.start({
      programs: ['[program:mute]', "command=/bin/sh -c 'exec >&- 2>&-; exec sleep 3600'", 'startsecs=1'].join(
        '\n',
      ),
    });
    await waitState(system, 'mute', 'RUNNING');
    const pid = (await stateOf(system, 'mute')).pid;
    const c0 = system.cpuSeconds();
    await sleep(seconds * 1000);
    const cpu = ((system.cpuSeconds() - c0) / seconds) * 100;
    const info = await stateOf(system, 'mute');
    return {
      pass: info.state === 'RUNNING' && info.pid === pid && ctx.timed(cpu < 5),
      figure: `${info.state}, same pid: ${info.pid === pid}, daemon CPU ${fmt(cpu)}% over ${seconds} s`,
      promise: 'stays RUNNING (EOF on its pipes is not an exit), no busy loop',
    };
  },
};

export const noNewline = {
  id: 'child-no-newline',
  title: 'a child that writes 100 MB without a newline',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { mb: 8 }, full: { mb: 100 } },
  async run(ctx, { mb }) {
    const programs = [
      '[program:blob]',
      `command=/bin/sh -c 'head -c ${mb * 1_000_000} /dev/zero | tr "\\\\0" x; exec sleep 3600'`,
      'startsecs=0',
      `stdout_logfile=${ctx.dir}/blob.log`,
      'stdout_logfile_maxbytes=0',
    ].join('\n');
    const system = await ctx.prepare({ programs }).start();
    const rss0 = system.rssMiB();
    let peak = rss0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, system.rssMiB());
    }, 100);
    const times = [];
    try {
      await waitFor(
        async () => {
          const t0 = now();
          await system.rpc.call('supervisor.getState');
          times.push(now() - t0);
          const { size } = await import('node:fs').then((fs) => fs.statSync(`${ctx.dir}/blob.log`));
          return size >= mb * 1_000_000;
        },
        { timeoutMs: 120_000, intervalMs: 100, what: `${mb} MB in the log` },
      );
    } finally {
      clearInterval(sampler);
    }
    await sleep(500);
    const idle = system.rssMiB();
    const p99 = quantile(times, 0.99);
    return {
      pass: peak - rss0 < 64 && ctx.timed(p99 < 1000),
      figure: `${mb} MB reached the file; daemon RSS ${fmt(rss0, 0)} → peak ${fmt(peak, 0)} → ${fmt(idle, 0)} MiB; API p99 ${fmt(p99)} ms`,
      promise: 'RSS growth bounded (< 64 MiB: partial lines are cut at LINE_MAX), API answers',
    };
  },
};

export const stoppedChild = {
  id: 'child-sigstopped',
  title: 'a child that is SIGSTOPped when asked to stop',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: {}, full: {} },
  async run(ctx) {
    // The shell catches SIGTERM, so a frozen one leaves it pending: only SIGKILL ends it.
    const command = `command=/bin/sh -c 'trap "exit 0" TERM; while :; do sleep 1; done'`;
    const system = await ctx.start({
      programs: ['[program:frozen]', command, 'startsecs=1', 'stopwaitsecs=2'].join('\n'),
    });
    await waitState(system, 'frozen', 'RUNNING');
    process.kill((await stateOf(system, 'frozen')).pid, 'SIGSTOP');
    const ms = await timedStop(system, 'frozen');
    const state = (await stateOf(system, 'frozen')).state;
    return {
      pass: state === 'STOPPED' && ctx.timed(ms < 3500),
      figure: `stop took ${fmt(ms / 1000)} s (stopwaitsecs 2) → ${state}`,
      promise: 'STOPPED by SIGKILL after stopwaitsecs (SIGTERM stays pending on a stopped process)',
    };
  },
};

export const CHILDREN = [setsidGrandchildren, closedStdout, noNewline, stoppedChild];
