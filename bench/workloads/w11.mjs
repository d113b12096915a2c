// W11: the memory-limit watcher. N sleepers, each with memory_limit (far above what a sleeper
// holds, so nothing restarts) and nobody reading figures: the sampler runs only for the watcher,
// one pass a second. Figures: the wall time of one pass (read /proc, sum each tree, judge each
// limit), the daemon's CPU over the window, and that CPU divided by the passes in it (an upper
// bound on the watcher's cost: it includes the daemon's idle work and this workload's polling of
// GET /api/v1/daemon, 4 a second). supervisord needs superlance's memmon (a separate process that
// polls ps); PM2 checks max_memory_restart in its own worker every 30 s; neither reports a cost.
import { readStat } from '../lib/procfs.mjs';
import { median } from '../lib/stats.mjs';
import { sleep } from '../lib/util.mjs';
import { sleepers, stateTimeoutMs } from './common.mjs';
import { TEND_SYSTEMS } from '../drivers/tend.mjs';

const TEND_ONLY = TEND_SYSTEMS;
const CLK_TCK = 100;

const cpuSeconds = (pid) => {
  const stat = readStat(pid);
  return stat ? (stat.utime + stat.stime) / CLK_TCK : NaN;
};

export const W11 = {
  id: 'W11',
  title: 'memory-limit watcher',
  cases: (sizes) => [{ key: 'W11', label: 'W11', params: sizes.w11 }],
  figures: ({ n }) => [
    {
      key: 'pass_ms',
      label: `one watcher pass, ${n} programs with memory_limit`,
      unit: 'ms',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'cpu_ms_per_pass',
      label: `daemon CPU per pass (upper bound), ${n} programs`,
      unit: 'ms',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'cpu_pct',
      label: `daemon CPU, ${n} programs with memory_limit, no reader`,
      unit: '%',
      better: 'lower',
      only: TEND_ONLY,
    },
  ],
  async run(driver, ctx, { n, seconds }) {
    if (!TEND_ONLY.includes(driver.constructor.system)) return {};
    const limited = sleepers(ctx.tools, n).map((p) => ({ ...p, extra: { memory_limit: '1GB' } }));
    await driver.start(limited);
    await driver.startAll();
    await driver.waitAllRunning(n, stateTimeoutMs(n));
    await sleep(ctx.sizes.settleMs);
    const passes = new Map();
    const cpu0 = cpuSeconds(driver.pid());
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const { stats } = await driver.http.json('GET', '/api/v1/daemon');
      if (stats?.lastPass == null) return { pass_ms: { na: 'no sampler' } };
      passes.set(stats.lastPass.at, stats.lastPass.ms);
      await sleep(250);
    }
    const cpu1 = cpuSeconds(driver.pid());
    const count = Math.max(1, passes.size - 1);
    return {
      pass_ms: median([...passes.values()]),
      cpu_ms_per_pass: ((cpu1 - cpu0) * 1000) / count,
      cpu_pct: ((cpu1 - cpu0) / seconds) * 100,
    };
  },
  limit: () => ({}),
};
