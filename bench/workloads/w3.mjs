// W3: one program that records its start time and exits 1 at once (programs/stamp.c), restarted
// without backoff (startsecs=0, autorestart=true; PM2: restart_delay 0). Figure: the median
// interval between consecutive starts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnRepeatedly } from '../drivers/limit.mjs';
import { median } from '../lib/stats.mjs';
import { waitFor } from '../lib/util.mjs';

const stamps = (file) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(BigInt);
  } catch {
    return [];
  }
};

const intervalsMs = (times) => times.slice(1).map((t, i) => Number(t - times[i]) / 1e6);

export const W3 = {
  id: 'W3',
  title: 'restart loop',
  cases: (sizes) => [{ key: 'W3', label: 'W3', params: { restarts: sizes.w3Restarts } }],
  figures: ({ restarts }) => [
    { key: 'interval_ms', label: `restart interval (median of ${restarts})`, unit: 'ms', better: 'lower' },
  ],
  async run(driver, ctx, { restarts }) {
    const file = path.join(driver.dir, 'stamps');
    await driver.start([{ name: 'flap', argv: [ctx.tools.stamp, file], autorestart: true }]);
    await driver.startProgram('flap');
    await waitFor(() => stamps(file).length > restarts, {
      timeoutMs: ctx.sizes.w3TimeoutMs,
      intervalMs: 50,
      what: `${restarts} restarts`,
    });
    return { interval_ms: median(intervalsMs(stamps(file).slice(0, restarts + 1))) };
  },
  async limit(ctx, { restarts }, dir) {
    const file = path.join(dir, 'stamps');
    await spawnRepeatedly(ctx.tools, restarts + 1, [ctx.tools.stamp, file]);
    return { interval_ms: median(intervalsMs(stamps(file))) };
  },
};
