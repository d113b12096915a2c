// The dashboard in a real browser (Debian's chromium through playwright-core) against a real
// daemon: log in, watch a row change when the real supervisorctl stops the process, restart from
// the page and see the new pid, follow a log line written after the view opened, read stderr,
// search, download, log out; a viewer sees no actions; XSS payloads in a process name and in log
// lines stay inert (no dialog ever fires); a page from another origin cannot act; axe-core finds
// no WCAG 2 A/AA violation.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { fixture, run } from '../../helpers/daemon.js';
import { newContext, noBrowser } from '../../helpers/browser.js';
import { freePort, startWebDaemon, WEB_PASSWORD, type WebDaemon } from '../../helpers/web.js';

const XSS_NAME = 'x<img\tsrc=x\tonerror=alert(1)>';
const XSS_LINE = '<img src=x onerror=alert(2)><script>alert(3)</script>';
const SUPERVISORCTL = '/usr/bin/supervisorctl';

const PROGRAMS = `
[program:sleeper]
command = ${fixture('forever.sh')}
startsecs = 0

[program:echo]
command = ${fixture('echo-lines.sh')}
startsecs = 0

[program:busy]
command = /bin/sh -c 'while :; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 0.5; done'
startsecs = 0

[program:xss]
process_name = ${XSS_NAME}
command = ${fixture('forever.sh')}
startsecs = 0
`;

const skip = noBrowser();
if (skip !== null) console.log(`# browser tests skipped: ${skip}`);
const web: WebDaemon | null = skip === null ? await startWebDaemon(PROGRAMS) : null;
const dialogs: string[] = [];

const row = (key: string, state?: string): string =>
  `tr[data-process="${key}"]${state === undefined ? '' : `[data-state="${state}"]`}`;

const login = async (user: string): Promise<Page> => {
  const context = await newContext();
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${web?.origin ?? ''}/`);
  assert.match(page.url(), /\/login$/);
  await page.fill('input[name="username"]', user);
  await page.fill('input[name="password"]', WEB_PASSWORD);
  await Promise.all([page.waitForURL(/\/$/), page.click('button[type="submit"]')]);
  await page.waitForSelector(row('sleeper:sleeper', 'RUNNING'), { timeout: 20_000 });
  return page;
};

const writeLine = async (line: string): Promise<void> => {
  const res = await web?.daemon.api('POST', '/api/v1/processes/echo:echo/stdin', { data: `${line}\n` });
  assert.equal(res?.status, 200, res?.text);
};

const logText = (page: Page): Promise<string> => page.locator('#log-text').innerText();

/** Waits until the log view shows `text` (events, not sleeps: Playwright re-checks on DOM changes). */
const logShows = (page: Page, text: string): Promise<void> =>
  page.locator('#log-text', { hasText: text }).waitFor({ timeout: 20_000 });

describe('the dashboard in a browser', { skip: skip ?? false }, () => {
  let page: Page;

  it('logs in through the form and shows every process, grouped', async () => {
    page = await login('admin');
    await page.waitForSelector(row('echo:echo', 'RUNNING'));
    assert.equal(await page.locator('tbody[data-group="xss"] tr[data-process]').count(), 1);
  });

  it(
    'changes the row when the real supervisorctl stops and starts the process',
    { skip: !existsSync(SUPERVISORCTL) && `${SUPERVISORCTL} is missing` },
    async () => {
      const conf = web?.daemon.conf ?? '';
      assert.match((await run(SUPERVISORCTL, ['-c', conf, 'stop', 'sleeper'])).stdout, /stopped/);
      await page.waitForSelector(row('sleeper:sleeper', 'STOPPED'), { timeout: 20_000 });
      assert.equal(await page.locator(`${row('sleeper:sleeper')} [data-field="pid"]`).innerText(), '–');
      await run(SUPERVISORCTL, ['-c', conf, 'start', 'sleeper']);
      await page.waitForSelector(row('sleeper:sleeper', 'RUNNING'), { timeout: 20_000 });
    },
  );

  it('shows CPU and memory live, with a CPU history for a program that works', async () => {
    await page.locator(`${row('busy:busy')} [data-field="mem"]`, { hasText: /iB$/ }).waitFor();
    await page.locator(`${row('busy:busy')} canvas.spark`).waitFor({ timeout: 20_000 });
    assert.match(await page.locator(`${row('busy:busy')} [data-field="cpu"]`).innerText(), /^\d+\.\d%$/);
  });

  it('restarts from the page and shows the new pid', async () => {
    const pidCell = page.locator(`${row('sleeper:sleeper')} [data-field="pid"]`);
    await pidCell.filter({ hasText: /^\d+$/ }).waitFor();
    const before = await pidCell.innerText();
    await page.click(`${row('sleeper:sleeper')} [data-action="restart"]`);
    await page
      .locator(`${row('sleeper:sleeper', 'RUNNING')} [data-field="pid"]`)
      .filter({ hasText: /^\d+$/, hasNotText: before })
      .waitFor({ timeout: 20_000 });
    const shown = Number(await pidCell.innerText());
    assert.equal(shown, (await web?.daemon.process('sleeper'))?.pid);
    assert.equal(await page.locator(`${row('sleeper:sleeper')} [data-result]`).innerText(), 'done');
  });

  it('follows a log line written after the view opened', async () => {
    await page.click(`${row('echo:echo')} [data-action="logs"]`);
    await page.waitForSelector('[data-log="echo:echo"]');
    await logShows(page, 'echo-lines ready');
    await writeLine('written-after-open');
    await logShows(page, 'out: written-after-open');
  });

  it('reads stderr', async () => {
    await page.selectOption('#log-stream', 'stderr');
    await logShows(page, 'err: written-after-open');
    assert.doesNotMatch(await logText(page), /out: written-after-open/);
  });

  it('searches the log and marks every hit', async () => {
    await writeLine('another after-open line');
    await logShows(page, 'another after-open');
    await page.fill('#log-search', 'AFTER-open');
    await page.locator('#log-text mark').nth(1).waitFor();
    const marks = await page.locator('#log-text mark').allInnerTexts();
    assert.deepEqual(marks, ['after-open', 'after-open']);
    assert.equal(await page.locator('#log-hits').innerText(), '2 matches');
    await page.fill('#log-search', '');
  });

  it('downloads the whole log', async () => {
    await page.selectOption('#log-stream', 'stdout');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#log-download')]);
    assert.equal(download.suggestedFilename(), 'echo_echo.stdout.log');
    const text = readFileSync(await download.path(), 'utf8');
    assert.match(text, /out: written-after-open/);
  });

  it('keeps HTML in process names and log lines inert', async () => {
    await writeLine(XSS_LINE);
    await logShows(page, `out: ${XSS_LINE}`);
    assert.equal(await page.locator('#log-text img, #log-text script, table img').count(), 0);
    const name = await page.locator(`tbody[data-group="xss"] tr[data-process] th`).textContent();
    assert.equal(name, XSS_NAME);
    await page.click(`tbody[data-group="xss"] [data-action="logs"]`);
    await page.waitForSelector('[data-log^="xss:"]');
    assert.equal(await page.locator('#log-title').textContent(), `Log of xss:${XSS_NAME}`);
    assert.deepEqual(dialogs, []);
  });

  it('shows the config difference before applying it', async () => {
    const conf = web?.daemon.conf ?? '';
    appendFileSync(conf, `\n[program:late]\ncommand = ${fixture('forever.sh')}\nstartsecs = 0\n`);
    await page.click('[data-action="reread"]');
    await page.locator('[data-diff="added"]', { hasText: 'late' }).waitFor();
    assert.equal(await page.locator(row('late:late')).count(), 0, 'nothing applied yet');
    await page.click('[data-action="apply"]');
    await page.waitForSelector(row('late:late', 'RUNNING'), { timeout: 20_000 });
    assert.match(await page.locator('#config-diff [data-result]').innerText(), /applied: 1 added/);
  });

  it('clears a log and sends a signal from the log view, and the timeline shows the exit', async () => {
    await page.click(`${row('echo:echo')} [data-action="logs"]`);
    await page.waitForSelector('[data-log="echo:echo"]');
    await page.click('[data-action="clear"]');
    await page.locator('#log [data-result]', { hasText: 'cleared' }).waitFor();
    const left = await web?.daemon.api<{ data: string }>('GET', '/api/v1/processes/echo:echo/logs/stdout');
    assert.equal(left?.body.data, '');
    await page.click(`${row('sleeper:sleeper')} [data-action="logs"]`);
    await page.waitForSelector('[data-log="sleeper:sleeper"]');
    await page.selectOption('#log-signal', 'TERM');
    await page.click('[data-action="signal"]');
    await page.locator('#log [data-result]', { hasText: 'sent SIGTERM' }).waitFor();
    await page
      .locator('#timeline-list li', { hasText: /sleeper:sleeper RUNNING → EXITED/ })
      .waitFor({ timeout: 20_000 });
  });

  it('logs out', async () => {
    await Promise.all([page.waitForURL(/\/login$/), page.click('[data-action="logout"]')]);
    await page.goto(`${web?.origin ?? ''}/`);
    assert.match(page.url(), /\/login$/);
    const api = await page.request.get(`${web?.origin ?? ''}/api/v1/processes`);
    assert.equal(api.status(), 401);
    await page.context().close();
  });

  it('shows a viewer no action controls', async () => {
    const viewer = await login('viewer');
    assert.equal(
      await viewer.locator('[data-action="start"], [data-action="stop"], [data-action="restart"]').count(),
      0,
    );
    assert.ok((await viewer.locator('[data-action="logs"]').count()) >= 3);
    await viewer.context().close();
  });

  it('lets a page from another origin change nothing, by form or by fetch', async () => {
    const victim = await login('admin');
    const target = `${web?.origin ?? ''}/api/v1/processes/sleeper:sleeper/stop`;
    const attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<form method="post" action="${target}"><input name="csrf" value="guess"></form>
<script>fetch(${JSON.stringify(target)}, { method: 'POST', credentials: 'include', mode: 'no-cors', body: 'x' })
  .finally(() => document.forms[0].submit());</script>`);
    });
    const port = await freePort();
    await new Promise<void>((resolve) => attacker.listen(port, '127.0.0.1', resolve));
    const evil = await victim.context().newPage();
    const sent = (type: string) =>
      evil.waitForRequest((r) => r.url() === target && r.method() === 'POST' && r.resourceType() === type);
    const [byFetch, byForm] = await Promise.all([
      sent('fetch'),
      sent('document'),
      evil.goto(`http://127.0.0.1:${port}/`),
    ]);
    // The fetch's answer is withheld from the attacker's page (Cross-Origin-Resource-Policy); the
    // form's navigation shows it: refused, whether for the missing cookie (SameSite) or the origin.
    await byFetch.response();
    const formAnswer = await byForm.response();
    assert.ok([401, 403].includes(formAnswer?.status() ?? 0), String(formAnswer?.status()));
    attacker.close();
    assert.equal((await web?.daemon.process('sleeper'))?.statename, 'RUNNING');
    await victim.context().close();
  });

  it('passes axe-core at WCAG 2 A and AA, on the login page and the dashboard', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const audit = async (p: Page): Promise<string[]> => {
      await p.evaluate(axe);
      const found = await p.evaluate(async () => {
        const result = await (
          globalThis as unknown as {
            axe: {
              run: (o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
            };
          }
        ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      return found;
    };
    const context = await newContext();
    const loginPage = await context.newPage();
    await loginPage.goto(`${web?.origin ?? ''}/login`);
    assert.deepEqual(await audit(loginPage), []);
    await context.close();
    for (const scheme of ['light', 'dark'] as const) {
      const p = await login('admin');
      await p.emulateMedia({ colorScheme: scheme });
      await p.click(`${row('echo:echo')} [data-action="logs"]`);
      await p.waitForSelector('[data-log="echo:echo"]');
      assert.deepEqual(await audit(p), [], scheme);
      await p.context().close();
    }
    assert.deepEqual(dialogs, []);
  });
});
