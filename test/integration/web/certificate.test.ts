// The dashboard's certificate across starts and from the config, and the config's refusal of a
// plain password as users meet it (tend check, tend daemon).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { header, run, spawnDaemon, TEND } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';
import { freePort, startWebDaemon, tokenIn, WEB_PASSWORD, webSection, WebClient } from '../../helpers/web.js';

describe('the dashboard certificate', () => {
  it('is made once and kept: a second start serves the same one', async () => {
    const first = await startWebDaemon('');
    assert.match(first.daemon.output, /made a self-signed certificate/);
    assert.equal(await first.daemon.stop(), 0);
    const again = await startWebDaemon('', { dir: first.daemon.dir });
    assert.equal(again.fingerprint, first.fingerprint);
    assert.doesNotMatch(again.daemon.output, /made a self-signed certificate/);
    const res = await again.client().send('GET', '/login');
    assert.equal(res.fingerprint, first.fingerprint);
  });

  it('is the configured certfile/keyfile when set, and nothing is generated', async () => {
    const donor = await startWebDaemon('');
    await donor.daemon.stop();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'my.crt'), readFileSync(path.join(donor.daemon.dir, 'tend.pid.web.crt')));
    writeFileSync(path.join(dir, 'my.key'), readFileSync(path.join(donor.daemon.dir, 'tend.pid.web.key')));
    const web = await startWebDaemon('', {
      dir,
      webExtra: `certfile = ${dir}/my.crt\nkeyfile = ${dir}/my.key\n`,
      certFile: path.join(dir, 'my.crt'),
    });
    assert.equal(web.fingerprint, new X509Certificate(readFileSync(path.join(dir, 'my.crt'))).fingerprint256);
    assert.equal(existsSync(path.join(dir, 'tend.pid.web.crt')), false);
    const client = new WebClient(web.port, readFileSync(path.join(dir, 'my.crt'), 'utf8'));
    assert.equal((await client.send('GET', '/login')).status, 200);
  });
});

describe('a plain password in [web_user:x]', () => {
  it('fails tend check and tend daemon, naming the line and not the password', async () => {
    const dir = tempDir();
    const port = await freePort();
    const conf = path.join(dir, 'tend.conf');
    const body = `${await webSection(port)}\n[web_user:ann]\npassword = hunter2\n`;
    writeFileSync(conf, `${header(dir)}\n${body}`);
    const line = `${header(dir)}\n${body}`.split('\n').indexOf('password = hunter2') + 1;
    const check = await run(TEND, ['check', '-c', conf]);
    assert.equal(check.code, 2);
    assert.match(check.stdout + check.stderr, new RegExp(`tend\\.conf:${line}\\b.*web_user:ann.*password`));
    assert.doesNotMatch(check.stdout + check.stderr, /hunter2/);
    const daemon = spawnDaemon(body, { dir });
    assert.equal(await daemon.exit(), 2);
    assert.match(daemon.output, new RegExp(`tend\\.conf:${line}`));
    assert.doesNotMatch(daemon.output, /hunter2/);
  });
});

describe('public_url', () => {
  it('is the only origin accepted for actions once set (behind a reverse proxy)', async () => {
    const port = await freePort();
    const publicUrl = `https://tend.example:${port}`;
    const web = await startWebDaemon('', { webExtra: `public_url = ${publicUrl}\n` });
    const direct = web.client();
    const page = await direct.send('GET', '/login');
    const form = { username: 'admin', password: WEB_PASSWORD, csrf: tokenIn(page.text) ?? '' };
    assert.equal(
      (await direct.send('POST', '/login', { form })).status,
      403,
      'the Host-derived origin is refused',
    );
    assert.equal((await direct.send('POST', '/login', { form, origin: publicUrl })).status, 303);
  });
});
