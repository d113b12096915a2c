#!/usr/bin/env node
// Makes the screenshots in docs/dashboard.md: a real daemon on a small demo config (a healthy
// service, a group of three workers, one that uses some CPU, one that keeps failing, one left
// stopped), Debian's chromium through playwright-core, light and dark at desktop width and light
// at phone width. Run after `npm run build`: node scripts/screenshots.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs/images');
const { hashPassword } = await import(path.join(root, 'dist/src/api/scrypt.js'));

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const config = (dir, port, hash) => `[supervisord]
logfile = ${dir}/tend.log
pidfile = ${dir}/tend.pid
childlogdir = ${dir}

[unix_http_server]
file = ${dir}/t.sock

[web_server]
port = 127.0.0.1:${port}
username = admin
password = ${hash}

[program:web]
command = /bin/sh -c 'echo "listening on :8080"; echo "GET / 200"; echo "GET /health 200"; exec sleep 100000'
healthcheck = exec:/bin/true
healthcheck_interval = 2

[program:worker]
command = /bin/sh -c 'echo "worker %(process_num)s ready"; exec sleep 100000'
process_name = %(program_name)s_%(process_num)s
numprocs = 3

[program:indexer]
command = /bin/sh -c 'while :; do i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; echo "indexed batch"; sleep 0.3; done'

[program:flaky]
command = /bin/sh -c 'echo connecting to db; echo error: connection refused >&2; exit 3'
startretries = 1

[program:backup]
command = /bin/sleep 100000
autostart = false
`;

const dir = mkdtempSync(path.join(tmpdir(), 'tend-shots-'));
const port = await freePort();
writeFileSync(path.join(dir, 'tend.conf'), config(dir, port, await hashPassword('demo')));
const daemon = spawn(path.join(root, 'bin/tend'), ['daemon', '-c', path.join(dir, 'tend.conf')], { stdio: 'ignore' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
});

const shoot = async (name, options, withLog) => {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...options });
  const page = await context.newPage();
  for (let i = 0; ; i++) {
    try {
      await page.goto(`https://127.0.0.1:${port}/login`);
      break;
    } catch (error) {
      if (i > 100) throw error;
      await page.waitForTimeout(200);
    }
  }
  await page.fill('input[name="username"]', 'admin');
  await page.fill('input[name="password"]', 'demo');
  await Promise.all([page.waitForURL(/\/$/), page.click('button[type="submit"]')]);
  await page.waitForSelector('tr[data-process="flaky:flaky"][data-state="FATAL"]', { timeout: 30_000 });
  await page.waitForSelector('tr[data-process="indexer:indexer"] canvas', { timeout: 30_000 });
  await page.waitForTimeout(4000);
  if (withLog) {
    await page.click('tr[data-process="web:web"] [data-action="logs"]');
    await page.locator('#log-text', { hasText: 'GET /health' }).waitFor();
    await page.fill('#log-search', 'GET');
  }
  await page.screenshot({ path: path.join(out, `dashboard-${name}.png`), fullPage: true });
  await context.close();
};

try {
  await shoot('light', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' }, true);
  await shoot('dark', { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' }, false);
  await shoot('phone', { viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true }, false);
  console.log(`wrote ${out}/dashboard-{light,dark,phone}.png`);
} finally {
  await browser.close();
  daemon.kill('SIGTERM');
  await new Promise((resolve) => daemon.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
