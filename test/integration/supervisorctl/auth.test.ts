import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashPassword } from '../../../src/api/scrypt.js';
import { fixture, header } from '../../helpers/daemon.js';
import { onBoth, onTend, type Session } from '../../helpers/conformance.js';
import { freePort, type Kind } from '../../helpers/supervisord.js';
import { rawPost } from '../../helpers/xmlrpc.js';

// The stock supervisorctl over TCP with a username and password, as against supervisord: plain
// and {SHA} passwords, refusals ("Server requires authentication"), tail -f with credentials;
// tend's {scrypt} hashes; credentials on the unix socket too; the 401 exactly as supervisord's.

const body = `
[program:web]
command = ${fixture('stderr.sh')}
startsecs = 0
`;

const withInet =
  (password: string, ports: Record<Kind, number>, unix = '') =>
  (dir: string, kind: Kind) =>
    header(dir).replace('[unix_http_server]\n', `[unix_http_server]\n${unix}`) +
    `\n[inet_http_server]\nport = 127.0.0.1:${ports[kind]}\nusername = admin\npassword = ${password}\n`;

const ports = async (): Promise<Record<Kind, number>> => ({
  tend: await freePort(),
  supervisord: await freePort(),
});

const url = (s: Session, ports: Record<Kind, number>): string =>
  `-s http://127.0.0.1:${ports[s.server.kind]}`;

describe('supervisorctl over TCP with credentials', () => {
  it('plain passwords: refused without or with wrong credentials, works with the right ones', async (t) => {
    const p = await ports();
    await onBoth(
      t,
      body,
      async (s) => {
        await s.waitState('web', 'RUNNING');
        await s.ctl(`${url(s, p)} status`);
        await s.ctl(`${url(s, p)} -u admin -p wrong status`);
        await s.ctl(`${url(s, p)} -u nobody -p s3cret status`);
        await s.ctl(`${url(s, p)} -u admin -p s3cret status`);
        await s.ctl(`${url(s, p)} -u admin -p s3cret stop web`);
        await s.ctl(`${url(s, p)} -u admin -p s3cret start web`);
        await s.ctl(`${url(s, p)} -u admin -p s3cret tail web stderr`);
        await s.ctl(`${url(s, p)} -u admin -p s3cret tail -f web`, {
          interruptWhen: /to stdout/,
          interruptAfterMs: 20_000,
        });
        // Refused, these end by themselves (exit 1); the interrupt is only a deadline. A short one
        // fired while a loaded machine was still starting Python, mid-import.
        await s.ctl(`${url(s, p)} tail -f web`, { interruptAfterMs: 20_000 });
        await s.ctl(`${url(s, p)} -u admin -p wrong maintail -f`, { interruptAfterMs: 20_000 });
        await s.ctl('status');
      },
      { header: withInet('s3cret', p) },
    );
  });

  it('{SHA} passwords, as supervisord stores them', async (t) => {
    const p = await ports();
    const sha = `{SHA}${createHash('sha1').update('s3cret').digest('hex')}`;
    await onBoth(
      t,
      body,
      async (s) => {
        await s.waitState('web', 'RUNNING');
        await s.ctl(`${url(s, p)} -u admin -p s3cret status`);
        await s.ctl(`${url(s, p)} -u admin -p ${sha} status`);
      },
      { header: withInet(sha, p) },
    );
  });

  it('answers 401 with supervisord headers, and the unix socket asks for credentials when configured', async (t) => {
    const p = await ports();
    await onBoth(
      t,
      body,
      async (s) => {
        s.auth = 'admin:s3cret';
        await s.waitState('web', 'RUNNING');
        const res = await rawPost(
          { port: p[s.server.kind] },
          '<methodCall><methodName>supervisor.getState</methodName></methodCall>',
        );
        s.note(`HTTP ${res.status} WWW-Authenticate: ${String(res.headers['www-authenticate'])}`);
        await s.ctl('status');
        await s.ctl('-u admin -p s3cret status');
      },
      { header: withInet('s3cret', p, 'username = admin\npassword = s3cret\n') },
    );
  });

  it("tend's {scrypt} hashes: the password works, anything else is refused", async (t) => {
    const p = await ports();
    const hash = await hashPassword('s3cret');
    await onTend(
      t,
      body,
      async (s) => {
        const ok = await s.ctl(`${url(s, p)} -u admin -p s3cret status`);
        assert.equal(ok.code, 0, ok.output);
        assert.match(ok.output, /^web +RUNNING +pid \d+/);
        const bad = await s.ctl(`${url(s, p)} -u admin -p s3cre status`);
        assert.match(bad.output, /^Server requires authentication\n/);
        assert.equal(bad.code, 1);
        const hashAsPassword = await s.ctl(`${url(s, p)} -u admin -p ${hash} status`);
        assert.equal(hashAsPassword.code, 1, 'the stored hash is not a password');
        const follow = await s.ctl(`${url(s, p)} -u admin -p s3cret tail -f web stderr`, {
          interruptWhen: /to stderr/,
          interruptAfterMs: 20_000,
        });
        assert.match(follow.output, /to stderr/);
      },
      { header: withInet(hash, p) },
    );
  });
});
