// W2: N sleepers running and nobody asking anything: the daemon's own CPU time (utime + stime of
// the daemon and its helpers, from /proc/PID/stat) over the idle window.
import { sleep } from '../lib/util.mjs';
import { startSleepers } from './common.mjs';

export const W2 = {
  id: 'W2',
  title: 'idle CPU with N running',
  cases: (sizes) => [{ key: 'W2', label: 'W2', params: { n: sizes.nFixed, seconds: sizes.w2Seconds } }],
  figures: ({ n, seconds }) => [
    { key: 'cpu_s', label: `daemon CPU over ${seconds} s idle, ${n} running`, unit: 's', better: 'lower' },
  ],
  async run(driver, ctx, { n, seconds }) {
    await startSleepers(driver, ctx, n);
    driver.quiesce();
    await sleep(ctx.sizes.settleMs);
    const before = driver.cpuSeconds();
    await sleep(seconds * 1000);
    return { cpu_s: driver.cpuSeconds() - before };
  },
  limit: () => ({ cpu_s: { na: 'no daemon' } }),
};
