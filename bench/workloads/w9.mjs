// W9: N sleepers running, someone watching their CPU and memory (tend status, top, the dashboard).
// Figure: wall time of one sampling pass of tend's StatsService: one read of the whole /proc
// process table and the tree sums for all N programs (median of 5 passes, as the daemon reports
// them in GET /api/v1/daemon). supervisord measures nothing of the kind; PM2 samples with
// pidusage on its own schedule and does not report the cost.
import { median } from '../lib/stats.mjs';
import { startSleepers } from './common.mjs';
import { TEND_SYSTEMS } from '../drivers/tend.mjs';

export const W9 = {
  id: 'W9',
  title: 'CPU and memory sampling',
  cases: (sizes) =>
    sizes.w1N.map((n) => ({ key: `W9-${n}`, label: `W9 n=${n}`, params: { n, passes: 5 } })),
  figures: ({ n }) => [
    { key: 'pass_ms', label: `one sampling pass, ${n} programs`, unit: 'ms', better: 'lower', only: TEND_SYSTEMS },
  ],
  async run(driver, ctx, { n, passes }) {
    if (!driver.statsPassMs) return {};
    await startSleepers(driver, ctx, n);
    const times = await driver.statsPassMs(passes);
    return { pass_ms: times.na ? times : median(times) };
  },
  limit: () => ({}),
};
