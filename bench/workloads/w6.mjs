// W6: N sleepers running. Figure: wall time from the `stop all` command until the status API
// reports all N STOPPED.
import { spawnAndStop } from '../drivers/limit.mjs';
import { now } from '../lib/util.mjs';
import { startSleepers, stateTimeoutMs } from './common.mjs';

export const W6 = {
  id: 'W6',
  title: 'stop all',
  cases: (sizes) => [{ key: 'W6', label: 'W6', params: { n: sizes.nFixed } }],
  figures: ({ n }) => [{ key: 'stop_s', label: `stop all → ${n} STOPPED`, unit: 's', better: 'lower' }],
  async run(driver, ctx, { n }) {
    await startSleepers(driver, ctx, n);
    const t0 = now();
    await driver.stopAll();
    const t1 = await driver.waitAllStopped(n, stateTimeoutMs(n));
    return { stop_s: (t1 - t0) / 1000 };
  },
  async limit(ctx, { n }) {
    const { stop_s } = await spawnAndStop(ctx.tools, n, [ctx.tools.sleep, '100000']);
    return { stop_s };
  },
};
