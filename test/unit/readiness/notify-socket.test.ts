import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_SOCKET_PATH, NotifyHub, sendDatagram, type NotifyUpdate } from '../../../src/readiness/index.js';

const base = mkdtempSync(path.join(tmpdir(), 'tend-notify-test-'));
after(() => {
  rmSync(base, { recursive: true, force: true });
});

const waitFor = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
  assert.ok(check());
};

describe('notify sockets (unix-dgram)', () => {
  it('binds one socket per name in a 0700 directory and delivers parsed datagrams', async () => {
    const hub = new NotifyHub(path.join(base, 'tend.pid.notify'));
    const got: NotifyUpdate[] = [];
    const web = hub.open('g:web', (u) => got.push(u));
    assert.equal(path.basename(web.path), 'g_web.sock');
    assert.equal(statSync(path.dirname(web.path)).mode & 0o777, 0o700);
    await sendDatagram(web.path, Buffer.from('READY=1\nSTATUS=up'));
    await sendDatagram(web.path, Buffer.alloc(5000, 'x'));
    await sendDatagram(web.path, Buffer.from('WATCHDOG=1'));
    await waitFor(() => got.length === 2);
    assert.equal(got[0]?.status, 'up');
    assert.equal(got[1]?.watchdog, 'ping');
    assert.equal(web.oversize, 1);
    hub.close();
    assert.equal(existsSync(path.dirname(web.path)), false);
  });

  it('a socket for another user is chowned to it (0600) in a 0711 directory; the others stay 0600 in 0700', (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to chown');
      return;
    }
    const hub = new NotifyHub(path.join(base, 'owned.notify'));
    const mine = hub.open('mine', () => undefined);
    const theirs = hub.open('theirs', () => undefined, { uid: 65534, gid: 65534 });
    assert.equal(statSync(mine.path).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(mine.path)).mode & 0o777, 0o700);
    assert.equal(statSync(theirs.path).uid, 65534);
    assert.equal(statSync(theirs.path).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(theirs.path)).mode & 0o777, 0o711);
    hub.close();
    assert.equal(existsSync(path.dirname(theirs.path)), false);
  });

  it('names that clash get distinct sockets; a closed name can be reused', () => {
    const hub = new NotifyHub(path.join(base, 'clash'));
    const a = hub.open('g:a', () => undefined);
    const b = hub.open('g_a', () => undefined);
    assert.notEqual(a.path, b.path);
    a.close();
    const again = hub.open('g:a', () => undefined);
    assert.equal(again.path, a.path);
    hub.close();
  });

  it('falls back to a short directory under the temp dir when the path would pass 107 bytes', () => {
    const deep = path.join(base, 'd'.repeat(120));
    const hub = new NotifyHub(deep);
    const endpoint = hub.open('web', () => undefined);
    assert.ok(Buffer.byteLength(endpoint.path) <= MAX_SOCKET_PATH);
    assert.ok(!endpoint.path.startsWith(deep));
    hub.close();
  });
});
