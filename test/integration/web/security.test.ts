// The dashboard's security model, attacked over real HTTPS against a real daemon: the certificate
// it made, plain HTTP, the headers and cookie flags, logins (rotation, same answer for a wrong user
// and a wrong password, brute force slowed), CSRF (missing, stale, another session's token, wrong
// origin), roles, and bad input. Every refused action is checked to have changed nothing.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixture } from '../../helpers/daemon.js';
import { startWebDaemon, tokenIn, WEB_PASSWORD, type WebDaemon } from '../../helpers/web.js';

const PROGRAMS = `
[program:victim]
command = ${fixture('forever.sh')}
startsecs = 0
`;

const web: WebDaemon = await startWebDaemon(PROGRAMS);
await web.daemon.waitForState('victim', 'RUNNING');

const victimState = async (): Promise<string> => (await web.daemon.process('victim')).statename;

describe('the certificate and the listener', () => {
  it('made a self-signed certificate beside the pid file, mode 0600, and logged its fingerprint', async () => {
    for (const file of ['tend.pid.web.crt', 'tend.pid.web.key']) {
      assert.equal(statSync(path.join(web.daemon.dir, file)).mode & 0o777, 0o600, file);
    }
    const cert = new X509Certificate(web.cert);
    assert.equal(web.fingerprint, cert.fingerprint256);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    // The client trusts only that file, so this request also proves the served certificate is it.
    const res = await web.client().send('GET', '/login');
    assert.equal(res.fingerprint, web.fingerprint);
  });

  it('gives a plain-HTTP request no HTTP answer at all', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port: web.port, path: '/', timeout: 10_000 }, (res) => {
        resolve(`HTTP ${res.statusCode}`);
      });
      req.on('error', (e) => {
        resolve(`error ${String((e as NodeJS.ErrnoException).code)}`);
      });
      req.on('timeout', () => {
        req.destroy();
        resolve('timeout');
      });
      req.end();
    });
    assert.doesNotMatch(outcome, /^HTTP/);
  });
});

describe('headers and cookies', () => {
  it('sends the security headers on pages, API answers, refusals and assets', async () => {
    const c = web.client();
    const login = await c.send('GET', '/login');
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(login.text)?.[1] ?? '';
    for (const res of [login, await c.send('GET', '/api/v1/processes'), await c.send('GET', css)]) {
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
      assert.match(String(res.headers['strict-transport-security']), /max-age=\d{7,}/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'same-origin');
    }
  });

  it('sets a __Host- cookie that is Secure, HttpOnly and SameSite=Strict, and rotates it at login', async () => {
    const c = web.client();
    const page = await c.send('GET', '/login');
    const set = String(page.headers['set-cookie']);
    assert.match(set, /^__Host-tend-session=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
    const before = c.cookie;
    const res = await c.send('POST', '/login', {
      form: { username: 'admin', password: WEB_PASSWORD, csrf: tokenIn(page.text) ?? '' },
    });
    assert.equal(res.status, 303);
    assert.notEqual(c.cookie, before);
    assert.match(String(res.headers['set-cookie']), /Secure; HttpOnly; SameSite=Strict/);
    const loggedIn = c.cookie;
    const stale = web.client();
    stale.cookie = before;
    assert.equal((await stale.send('GET', '/api/v1/processes')).status, 401, 'the pre-login id is dead');
    c.cookie = loggedIn;
    assert.equal((await c.send('GET', '/api/v1/processes')).status, 200);
  });
});

describe('logging in', () => {
  it('answers a wrong user and a wrong password the same way', async () => {
    const a = await web.client().login('nobody', WEB_PASSWORD);
    const b = await web.client().login('admin', 'wrong');
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    const normal = (t: string) =>
      t.replace(/[A-Za-z0-9_-]{86}/g, 'TOKEN').replace(/value="[a-z]*"/, 'value=""');
    assert.equal(normal(a.text), normal(b.text));
    assert.equal(a.headers['set-cookie'], undefined);
  });

  it('needs the login form token', async () => {
    const c = web.client();
    await c.send('GET', '/login');
    const res = await c.send('POST', '/login', {
      form: { username: 'admin', password: WEB_PASSWORD, csrf: 'x' },
    });
    assert.equal(res.status, 403);
  });

  it('slows brute force: after 5 failures the account answers 429 with Retry-After, even to the right password', async () => {
    const c = web.client();
    for (let i = 0; i < 5; i++) assert.equal((await c.login('target', `guess-${i}`)).status, 401);
    const blocked = await c.login('target', WEB_PASSWORD);
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers['retry-after']) >= 1);
    const other = await web.client().login('admin');
    assert.equal(other.status, 303, 'another account is not blocked');
  });

  it('closes the streams a session opened when it logs out', { timeout: 20_000 }, async () => {
    const c = web.client();
    await c.login('admin');
    const closed = new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port: web.port,
          path: '/api/v1/events',
          headers: { cookie: c.cookie ?? '' },
          ca: web.cert,
        },
        (res) => {
          res.resume();
          res.once('close', () => {
            resolve(res.statusCode ?? 0);
          });
          void c.send('POST', '/logout');
        },
      );
      req.on('error', () => {
        resolve(-1);
      });
      req.once('timeout', reject);
      req.end();
    });
    assert.ok([200, -1].includes(await closed));
  });

  it('ends the session at logout', async () => {
    const c = web.client();
    await c.login('admin');
    const cookie = c.cookie;
    assert.equal((await c.send('POST', '/logout')).status, 303);
    const old = web.client();
    old.cookie = cookie;
    assert.equal((await old.send('GET', '/api/v1/processes')).status, 401);
  });
});

describe('cross-site request forgery', () => {
  const stopVictim = (
    c: ReturnType<WebDaemon['client']>,
    r: Parameters<ReturnType<WebDaemon['client']>['send']>[2] = {},
  ) => c.send('POST', '/api/v1/processes/victim/stop', r);

  it('refuses an action without a token, with a stale one and with another session’s', async () => {
    const c = web.client();
    await c.login('admin');
    assert.equal((await stopVictim(c, { token: false })).status, 403);
    const other = web.client();
    await other.login('admin');
    assert.equal((await stopVictim(c, { headers: { 'x-csrf-token': other.token ?? '' } })).status, 403);
    const stale = c.token ?? '';
    const cookie = c.cookie;
    await c.send('POST', '/logout');
    await c.login('admin');
    assert.equal((await stopVictim(c, { headers: { 'x-csrf-token': stale } })).status, 403);
    c.cookie = cookie;
    assert.equal((await stopVictim(c, { headers: { 'x-csrf-token': stale } })).status, 401);
    assert.equal(await victimState(), 'RUNNING');
  });

  it('refuses an action from another origin, or with no Origin or Referer, even with a good token', async () => {
    const c = web.client();
    await c.login('admin');
    const evil = await stopVictim(c, { origin: 'https://evil.example' });
    assert.equal(evil.status, 403);
    assert.match(evil.text, /cross-origin/);
    assert.equal((await stopVictim(c, { origin: null })).status, 403);
    const referer = await stopVictim(c, { origin: null, headers: { referer: 'https://evil.example/x' } });
    assert.equal(referer.status, 403);
    assert.equal((await stopVictim(c, { origin: 'null' })).status, 403);
    assert.equal(await victimState(), 'RUNNING');
  });

  it('acts on no GET', async () => {
    const c = web.client();
    await c.login('admin');
    for (const url of ['/api/v1/processes/victim/stop', '/api/v1/daemon/shutdown', '/logout']) {
      assert.ok([404, 405].includes((await c.send('GET', url)).status), url);
    }
    assert.equal((await c.send('GET', '/api/v1/processes')).status, 200, 'still logged in');
    assert.equal(await victimState(), 'RUNNING');
  });

  it('masks the token anew in every answer, and each one works', async () => {
    const c = web.client();
    await c.login('admin');
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      await c.send('GET', '/web/session');
      seen.add(c.token ?? '');
    }
    assert.equal(seen.size, 3);
    const res = await c.send('POST', '/api/v1/processes/victim/restart?wait=true');
    assert.equal(res.status, 200, res.text);
  });
});

describe('roles', () => {
  it('lets a viewer look but not act', async () => {
    const c = web.client();
    assert.equal((await c.login('viewer')).status, 303);
    assert.equal((await c.send('GET', '/api/v1/processes')).status, 200);
    assert.equal(((await c.send('GET', '/web/session')).json() as { role: string }).role, 'viewer');
    for (const url of [
      '/api/v1/processes/victim/stop',
      '/api/v1/processes/all/restart',
      '/api/v1/daemon/shutdown',
    ]) {
      const res = await c.send('POST', url);
      assert.equal(res.status, 403, url);
      assert.match(res.text, /viewers may not act/);
    }
    assert.equal((await c.send('DELETE', '/api/v1/processes/victim/logs')).status, 403);
    assert.equal(await victimState(), 'RUNNING');
  });

  it('shows a viewer the page without action controls in its role', async () => {
    const c = web.client();
    await c.login('viewer');
    const page = await c.send('GET', '/');
    assert.match(page.text, /data-role="viewer"/);
  });
});

describe('bad input', () => {
  it('answers path tricks, unknown names and oversized bodies with 4xx and changes nothing', async () => {
    const c = web.client();
    await c.login('admin');
    for (const url of ['/assets/../../etc/passwd', '/assets/..%2F..%2Fetc%2Fpasswd', '/assets/app.js']) {
      assert.equal((await c.send('GET', url)).status, 404, url);
    }
    assert.equal((await c.send('POST', '/api/v1/processes/nope/stop')).status, 404);
    const big = await c.send('POST', '/api/v1/processes/victim/signal', {
      json: { signal: 'x'.repeat(2 * 1024 * 1024) },
    });
    assert.equal(big.status, 413);
    const form = await c.send('POST', '/login', {
      form: { username: 'a'.repeat(10_000), password: 'x', csrf: 'y' },
    });
    assert.equal(form.status, 413);
    assert.equal(await victimState(), 'RUNNING');
  });

  it('keeps process names out of headers in log downloads', async () => {
    const c = web.client();
    await c.login('admin');
    const res = await c.send('GET', `/web/download/${encodeURIComponent('victim')}/stdout`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="victim\.stdout\.log"$/);
    const bad = await c.send('GET', `/web/download/${encodeURIComponent('a"\r\nx: y')}/stdout`);
    assert.equal(bad.status, 404);
    assert.equal(bad.headers.x, undefined);
  });
});
