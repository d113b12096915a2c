import { existsSync } from 'node:fs';
import { after } from 'node:test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

// Debian's chromium driven by playwright-core (no browser is downloaded). As root (CI runs in a
// root container) chromium refuses to start without --no-sandbox; --disable-dev-shm-usage keeps
// it working where /dev/shm is a container's small default. The browser closes when the file ends.

export const CHROMIUM = process.env.TEND_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export const noBrowser = (): string | null =>
  existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium)`;

let browser: Promise<Browser> | undefined;

export const launch = (): Promise<Browser> => {
  browser ??= chromium.launch({
    executablePath: CHROMIUM,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
  return browser;
};

after(async () => {
  if (browser !== undefined) await (await browser).close();
});

/** A fresh profile (its own cookies). The dashboard's certificate is self-signed, hence ignoreHTTPSErrors. */
export const newContext = async (options: BrowserContextOptions = {}): Promise<BrowserContext> =>
  (await launch()).newContext({ ignoreHTTPSErrors: true, ...options });
