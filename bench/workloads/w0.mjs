// W0: the daemon with no programs at all. Figure: its RSS after it has settled.
import { sleep } from '../lib/util.mjs';

export const W0 = {
  id: 'W0',
  title: 'idle daemon, 0 programs',
  cases: () => [{ key: 'W0', label: 'W0', params: {} }],
  figures: () => [{ key: 'rss_mib', label: 'daemon RSS, 0 programs', unit: 'MiB', better: 'lower' }],
  async run(driver, ctx) {
    await driver.start([]);
    await sleep(ctx.sizes.settleMs);
    return { rss_mib: driver.rssMiB().total };
  },
  limit: () => ({ rss_mib: { na: 'no daemon' } }),
};
