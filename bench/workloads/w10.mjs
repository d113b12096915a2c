// W10: Prometheus scrape. N sleepers RUNNING, GET /metrics on tend's unix socket, as a Prometheus
// server scraping every 15 s would: each scrape more than a second after the last, so it pays
// one sampling pass over /proc (the figure), then one more at once, which reuses that pass (the
// part that is only writing the text). Each asks for gzip, as Prometheus does. Also the text's
// size, the size on the wire and the daemon's CPU per scrape.
// supervisord and PM2 have no metrics endpoint (PM2's is the paid PM2 Plus); their nearest is
// listing every program from outside: `supervisorctl status` and `pm2 jlist` (which carries CPU
// and memory), each including its client's start-up.
import { readStat } from '../lib/procfs.mjs';
import { median } from '../lib/stats.mjs';
import { sleep } from '../lib/util.mjs';
import { startSleepers } from './common.mjs';
import { TEND_SYSTEMS } from '../drivers/tend.mjs';

const TEND_ONLY = TEND_SYSTEMS;
const DAEMONS = [...TEND_ONLY, 'supervisord', 'pm2'];
const CLK_TCK = 100;

const cpuMs = (pid) => {
  const stat = readStat(pid);
  return stat ? ((stat.utime + stat.stime) / CLK_TCK) * 1000 : NaN;
};

const scrapeTend = async (driver, scrapes) => {
  const cold = [];
  const warm = [];
  const cpu = [];
  let bytes = 0;
  let wire = 0;
  for (let i = 0; i < scrapes; i++) {
    await sleep(1200);
    const before = cpuMs(driver.pid());
    const first = await driver.scrapeMetrics();
    cpu.push(cpuMs(driver.pid()) - before);
    warm.push((await driver.scrapeMetrics()).ms);
    cold.push(first.ms);
    bytes = first.bytes;
    wire = first.wireBytes;
  }
  return {
    scrape_ms: median(cold),
    warm_ms: median(warm),
    size_kib: bytes / 1024,
    wire_kib: wire / 1024,
    cpu_ms: median(cpu),
  };
};

export const W10 = {
  id: 'W10',
  title: 'Prometheus scrape',
  cases: (sizes) =>
    sizes.w1N.map((n) => ({
      key: `W10-${n}`,
      label: `W10 n=${n}`,
      params: { n, scrapes: sizes.w10Scrapes },
    })),
  figures: ({ n }) => [
    {
      key: 'scrape_ms',
      label: `every program from outside, ${n} programs (tend GET /metrics with a /proc pass; nearest: supervisorctl status, pm2 jlist)`,
      unit: 'ms',
      better: 'lower',
      only: DAEMONS,
    },
    {
      key: 'warm_ms',
      label: `GET /metrics within 1 s of the last (no pass), ${n} programs`,
      unit: 'ms',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'size_kib',
      label: `GET /metrics text size, ${n} programs`,
      unit: 'KiB',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'wire_kib',
      label: `GET /metrics gzipped, as Prometheus asks for it, ${n} programs`,
      unit: 'KiB',
      better: 'lower',
      only: TEND_ONLY,
    },
    {
      key: 'cpu_ms',
      label: `daemon CPU per scrape, ${n} programs`,
      unit: 'ms',
      better: 'lower',
      only: TEND_ONLY,
    },
  ],
  async run(driver, ctx, { n, scrapes }) {
    if (!driver.scrapeMetrics && !driver.nearestScrapeMs) return {};
    await startSleepers(driver, ctx, n);
    if (driver.scrapeMetrics) return scrapeTend(driver, scrapes);
    const times = [];
    for (let i = 0; i < scrapes; i++) times.push(await driver.nearestScrapeMs());
    return { scrape_ms: median(times) };
  },
  limit: () => ({}),
};
