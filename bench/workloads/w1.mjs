// W1: N sleepers (startsecs=0). Figures: wall time from the start command (the CLI's
// `start all`, daemon already up) until the status API reports all N RUNNING; daemon RSS then.
import { spawnAndStop } from '../drivers/limit.mjs';
import { now } from '../lib/util.mjs';
import { sleepers, stateTimeoutMs } from './common.mjs';

export const W1 = {
  id: 'W1',
  title: 'start N programs',
  cases: (sizes) => sizes.w1N.map((n) => ({ key: `W1 N=${n}`, label: `W1 N=${n}`, params: { n } })),
  figures: ({ n }) => [
    { key: 'running_s', label: `start all → ${n} RUNNING`, unit: 's', better: 'lower' },
    { key: 'rss_mib', label: `daemon RSS, ${n} running`, unit: 'MiB', better: 'lower' },
  ],
  async run(driver, _ctx, { n }) {
    await driver.start(sleepers(driver.tools, n));
    const t0 = now();
    await driver.startAll();
    const t1 = await driver.waitAllRunning(n, stateTimeoutMs(n));
    return { running_s: (t1 - t0) / 1000, rss_mib: driver.rssMiB().total };
  },
  async limit(ctx, { n }) {
    const { spawn_s } = await spawnAndStop(ctx.tools, n, [ctx.tools.sleep, '100000']);
    return { running_s: spawn_s, rss_mib: { na: 'no daemon' } };
  },
};
