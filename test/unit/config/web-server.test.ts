// [web_server] and [web_user:x]: only {scrypt} hashes are accepted as passwords (a plain one is a
// config error at its line that does not repeat the secret), pairs are set together, and the
// accounts come out with their roles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sectionLoader } from './helpers.js';

// A well-formed hash (what `tend hash-password` prints); its password does not matter here.
const HASH = '{scrypt}N=131072,r=8,p=1$sP5gbn4bXP0zZAGPYkdHRA==$dYpIrHhPBGdPzfGHAtEoakl5s9Jq9yI3FafMX/Yd8QE=';

const { load, configError } = sectionLoader();

describe('[web_server]', () => {
  it('reads the listener, the inline operator and the [web_user:x] accounts', () => {
    const c = load(
      'ok.conf',
      `[web_server]\nport = 127.0.0.1:9443\nusername = admin\npassword = ${HASH}\npublic_url = https://tend.example.org\nsession_timeout = 600\n\n[web_user:ann]\npassword = ${HASH}\nrole = operator\n\n[web_user:bob]\npassword = ${HASH}\n`,
    );
    const web = c.webServer;
    assert.ok(web !== null);
    assert.equal(web.host, '127.0.0.1');
    assert.equal(web.port, 9443);
    assert.equal(web.publicUrl, 'https://tend.example.org');
    assert.equal(web.sessionTimeout, 600);
    assert.equal(web.certfile, null);
    assert.deepEqual(
      web.users.map((u) => [u.name, u.role]),
      [
        ['admin', 'operator'],
        ['ann', 'operator'],
        ['bob', 'viewer'],
      ],
    );
  });

  it('is null without the section', () => {
    assert.equal(load('none.conf', '').webServer, null);
  });

  it('refuses a plain password, naming the line but not the secret', () => {
    const e = configError('plain.conf', '[web_server]\nport = 9443\n\n[web_user:ann]\npassword = hunter2\n');
    assert.equal(e.location.line, 7);
    assert.equal(e.location.section, 'web_user:ann');
    assert.equal(e.location.key, 'password');
    assert.match(e.reason, /plain password is refused/);
    assert.doesNotMatch(e.message, /hunter2/);
  });

  it('refuses a plain inline password too', () => {
    const e = configError('inline.conf', '[web_server]\nport = 9443\nusername = a\npassword = {SHA}abc\n');
    assert.equal(e.location.line, 6);
    assert.equal(e.location.key, 'password');
  });

  it('refuses a malformed {scrypt} hash', () => {
    const e = configError(
      'bad-hash.conf',
      '[web_server]\nport = 9443\nusername = a\npassword = {scrypt}N=3,r=8,p=1$AAAA$BBBB\n',
    );
    assert.match(e.reason, /not a valid \{scrypt\} hash/);
  });

  it('wants certfile and keyfile together', () => {
    const e = configError(
      'half.conf',
      `[web_server]\nport = 9443\ncertfile = /x.pem\nusername = a\npassword = ${HASH}\n`,
    );
    assert.equal(e.location.key, 'certfile');
    assert.match(e.reason, /without keyfile/);
  });

  it('wants at least one account', () => {
    const e = configError('nobody.conf', '[web_server]\nport = 9443\n');
    assert.match(e.reason, /no account/);
  });

  it('refuses a role that is not operator or viewer', () => {
    const e = configError(
      'role.conf',
      `[web_server]\nport = 9443\n\n[web_user:x]\npassword = ${HASH}\nrole = admin\n`,
    );
    assert.equal(e.location.key, 'role');
  });

  it('refuses a public_url with a path, or over http', () => {
    for (const url of ['https://a.example/tend', 'http://a.example']) {
      const e = configError(
        `url-${url.length}.conf`,
        `[web_server]\nport = 9443\npublic_url = ${url}\nusername = a\npassword = ${HASH}\n`,
      );
      assert.equal(e.location.key, 'public_url');
    }
  });

  it('refuses [web_user:x] without [web_server]', () => {
    const e = configError('orphan.conf', `[web_user:x]\npassword = ${HASH}\n`);
    assert.match(e.reason, /needs a \[web_server\]/);
  });
});
