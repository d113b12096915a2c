// W13: the dashboard with N programs, in Debian's chromium (playwright-core, no browser download).
// Figures: from navigating to the page (logged in) until all N rows are drawn and painted; from a stop sent
// to the API until the row shows STOPPED (median of U stops; includes the page's 100 ms coalescing
// of row fetches); bytes the page received per such change (the events, the row fetches, the
// stats frame, as Chrome's network layer counts them, decoded); bytes per second of the
// CPU/memory stream while N idle programs run; the page's script and style, brotli-compressed.
// Only tend has such a page (supervisord's is plain HTTP without live updates; PM2's is a SaaS).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { median } from '../lib/stats.mjs';
import { now } from '../lib/util.mjs';
import { sleepers, stateTimeoutMs } from './common.mjs';
import { TEND_SYSTEMS, isTend } from '../drivers/tend.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ONLY = TEND_SYSTEMS;
const PASSWORD = 'bench';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const pageKib = (repo) => {
  const dir = path.join(repo, 'dist/bundle/web');
  const bytes = ['app.js', 'app.css'].reduce(
    (sum, f) => sum + brotliCompressSync(readFileSync(path.join(dir, f))).length,
    0,
  );
  return bytes / 1024;
};

const launch = async (repo) => {
  // Its ES module entry: import() of the CommonJS one does not see `chromium`.
  const manifest = createRequire(path.join(repo, 'package.json')).resolve('playwright-core/package.json');
  const { chromium } = await import(path.join(path.dirname(manifest), 'index.mjs'));
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
};

// Every byte the page receives (decoded), SSE chunks included.
const countBytes = async (page) => {
  const counter = { bytes: 0 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.dataReceived', (e) => {
    counter.bytes += e.dataLength;
  });
  return counter;
};

const login = async (page, origin) => {
  await page.goto(`${origin}/login`);
  await page.fill('input[name="username"]', 'bench');
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(/\/$/, { timeout: 60_000 }), page.click('button[type="submit"]')]);
};

// The page marks `tend:first-render` once the frame with its rows has been painted; the figure is
// that mark's time since the navigation began (the request, the list, the drawing).
const firstRender = async (page, origin, n) => {
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => performance.getEntriesByName('tend:first-render').length > 0, undefined, {
    timeout: 120_000,
  });
  const rows = await page.locator('tr[data-process]').count();
  if (rows !== n) throw new Error(`the page drew ${rows} rows, not ${n}`);
  return page.evaluate(() => performance.getEntriesByName('tend:first-render')[0].startTime);
};

const oneUpdate = async (driver, page, counter, i) => {
  const before = counter.bytes;
  const t0 = now();
  await driver.http.request('POST', `/api/v1/processes/sleep_${i}/stop`);
  await page.waitForSelector(`tr[data-process="sleep_${i}:sleep_${i}"][data-state="STOPPED"]`, {
    timeout: 60_000,
  });
  return { ms: now() - t0, bytes: counter.bytes - before };
};

const statsRate = async (page, counter, seconds) => {
  const before = counter.bytes;
  const t0 = now();
  await page.waitForTimeout(seconds * 1000);
  return (counter.bytes - before) / ((now() - t0) / 1000);
};

const measure = async (driver, ctx, { n, updates, statsSeconds }, port) => {
  const browser = await launch(ctx.repo);
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const origin = `https://127.0.0.1:${port}`;
    await login(page, origin);
    const first_render_ms = await firstRender(page, origin, n);
    const counter = await countBytes(page);
    // Let the first stats frames (every figure is new then) pass before measuring.
    await page.waitForTimeout(3000);
    const stats_bytes_per_s = await statsRate(page, counter, statsSeconds);
    const runs = [];
    for (let i = 0; i < updates; i++) runs.push(await oneUpdate(driver, page, counter, i));
    return {
      first_render_ms,
      update_ms: median(runs.map((r) => r.ms)),
      update_bytes: median(runs.map((r) => r.bytes)),
      stats_bytes_per_s,
    };
  } finally {
    await browser.close();
  }
};

export const W13 = {
  id: 'W13',
  title: 'the dashboard',
  cases: (sizes) => [{ key: `W13-${sizes.w13.n}`, label: `W13 n=${sizes.w13.n}`, params: sizes.w13 }],
  figures: ({ n }) => [
    {
      key: 'first_render_ms',
      label: `dashboard: page load to all ${n} rows drawn`,
      unit: 'ms',
      better: 'lower',
      only: ONLY,
    },
    {
      key: 'update_ms',
      label: `dashboard: stop sent → row shows STOPPED, ${n} rows`,
      unit: 'ms',
      better: 'lower',
      only: ONLY,
    },
    {
      key: 'update_bytes',
      label: 'dashboard: bytes received per state change',
      unit: 'B',
      better: 'lower',
      only: ONLY,
    },
    {
      key: 'stats_bytes_per_s',
      label: `dashboard: CPU/memory stream, ${n} idle programs`,
      unit: 'B/s',
      better: 'lower',
      only: ONLY,
    },
    { key: 'page_kib', label: 'dashboard: script + style, brotli', unit: 'KiB', better: 'lower', only: ONLY },
  ],
  async run(driver, ctx, params) {
    if (!isTend(driver.constructor.system)) return {};
    const page_kib = pageKib(ctx.repo);
    if (!existsSync(CHROMIUM)) {
      const na = { na: `${CHROMIUM} is not installed` };
      return { first_render_ms: na, update_ms: na, update_bytes: na, stats_bytes_per_s: na, page_kib };
    }
    const { hashPassword } = await import(path.join(ctx.repo, 'dist/src/api/scrypt.js'));
    const port = await freePort();
    const extra = `[web_server]\nport = 127.0.0.1:${port}\nusername = bench\npassword = ${await hashPassword(PASSWORD)}\n`;
    await driver.start(sleepers(ctx.tools, params.n), extra);
    await driver.startAll();
    await driver.waitAllRunning(params.n, stateTimeoutMs(params.n));
    return { ...(await measure(driver, ctx, params, port)), page_kib };
  },
};
