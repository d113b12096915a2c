// W2: N sleepers running and nobody asking anything: the daemon's own CPU time (utime + stime of
// the daemon and its helpers, from /proc/PID/stat) over two idle windows.
// The first starts right after the start-up settled and so holds what a runtime does once after
// start-up (tend: V8's memory reducer, ~0.1 s of compacting collections ~10 s after the last
// allocation burst); the second, beginning at least 20 s after the first began, is the steady
// state a daemon that runs for weeks is in.
import { sleep } from '../lib/util.mjs';
import { startSleepers } from './common.mjs';

// The steady window starts at least this long after the first one did: the reducer runs ~10 s
// after the start-up's allocations, which --quick's 5 s windows would otherwise catch.
const STEADY_AFTER_S = 20;

export const W2 = {
  id: 'W2',
  title: 'idle CPU with N running',
  cases: (sizes) => [{ key: 'W2', label: 'W2', params: { n: sizes.nFixed, seconds: sizes.w2Seconds } }],
  figures: ({ n, seconds }) => [
    { key: 'cpu_s', label: `daemon CPU over ${seconds} s idle, ${n} running`, unit: 's', better: 'lower' },
    {
      key: 'steady_cpu_s',
      label: `daemon CPU over ${seconds} s from ${Math.max(seconds, STEADY_AFTER_S)} s on (steady state)`,
      unit: 's',
      better: 'lower',
    },
  ],
  async run(driver, ctx, { n, seconds }) {
    await startSleepers(driver, ctx, n);
    driver.quiesce();
    await sleep(ctx.sizes.settleMs);
    const before = driver.cpuSeconds();
    await sleep(seconds * 1000);
    const between = driver.cpuSeconds();
    await sleep(Math.max(0, STEADY_AFTER_S - seconds) * 1000);
    const steady = driver.cpuSeconds();
    await sleep(seconds * 1000);
    return { cpu_s: between - before, steady_cpu_s: driver.cpuSeconds() - steady };
  },
  limit: () => ({ cpu_s: { na: 'no daemon' }, steady_cpu_s: { na: 'no daemon' } }),
};
