// W7: SSE fan-out. N sleepers running and S programs in a crash storm (each runs 0.2 s, exits and
// is restarted at once), C clients on tend's event stream (GET /api/v1/events, every type but
// the ticks). Figures, over a window of the storm: how long after the daemon stamped an event the
// clients had it (median and p99 over every delivery), the events each client got per second,
// the daemon's own CPU, and clients cut for falling behind (0 expected). supervisord and PM2
// have no event stream to compare with (supervisord's listeners are W8).
import { readStat } from '../lib/procfs.mjs';
import { openEventStreams, quantile } from '../lib/sse.mjs';
import { sleep } from '../lib/util.mjs';
import { sleepers, stateTimeoutMs } from './common.mjs';
import { TEND_SYSTEMS, isTend } from '../drivers/tend.mjs';

const TEND_ONLY = TEND_SYSTEMS;
const CLK_TCK = 100;

const cpuSeconds = (pid) => {
  const stat = readStat(pid);
  return stat ? (stat.utime + stat.stime) / CLK_TCK : NaN;
};

const storm = (tools, s) =>
  Array.from({ length: s }, (_, i) => ({
    name: `storm_${i}`,
    argv: [tools.sleep, '0.2'],
    autorestart: true,
    autostart: true,
  }));

export const W7 = {
  id: 'W7',
  title: 'SSE fan-out',
  cases: (sizes) => [{ key: 'W7', label: 'W7', params: sizes.w7 }],
  figures: ({ n, storm: s, clients }) => [
    {
      key: 'p50_ms',
      label: `event delivery median, ${clients} clients, ${n}+${s} programs`,
      unit: 'ms',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'p99_ms',
      label: `event delivery p99, ${clients} clients`,
      unit: 'ms',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'events_per_s',
      label: 'events per second per client (crash storm)',
      unit: '/s',
      better: 'higher',
      only: TEND_ONLY,
    },
    {
      key: 'cpu_pct',
      label: `daemon CPU, ${clients} SSE clients, crash storm`,
      unit: '%',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'cut',
      label: 'SSE clients cut for falling behind',
      unit: 'clients',
      better: 'lower',
      only: TEND_ONLY,
    },
  ],
  async run(driver, ctx, { n, storm: s, clients: count, seconds }) {
    if (!isTend(driver.constructor.system)) return {};
    await driver.start([...sleepers(ctx.tools, n), ...storm(ctx.tools, s)]);
    await driver.startAll();
    await driver.waitAllRunning(n, stateTimeoutMs(n));
    const clients = await openEventStreams(driver.http.socketPath, count, '/api/v1/events');
    try {
      await sleep(ctx.sizes.settleMs);
      for (const c of clients) c.recording = true;
      const cpu0 = cpuSeconds(driver.pid());
      await sleep(seconds * 1000);
      const cpu1 = cpuSeconds(driver.pid());
      for (const c of clients) c.recording = false;
      const latencies = clients.flatMap((c) => c.latencies);
      return {
        p50_ms: quantile(latencies, 0.5),
        p99_ms: quantile(latencies, 0.99),
        events_per_s: clients.reduce((sum, c) => sum + c.events, 0) / count / seconds,
        cpu_pct: ((cpu1 - cpu0) / seconds) * 100,
        cut: clients.filter((c) => c.ended).length,
      };
    } finally {
      for (const c of clients) c.close();
    }
  },
};
