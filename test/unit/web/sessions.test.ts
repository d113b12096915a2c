// Server-side sessions with a fake clock: idle timeout, ending closes what the session opened,
// ids are never accepted in another shape, and the store stays bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionStore } from '../../../src/web/sessions.js';
import { FakeClock } from '../../helpers/fake-clock.js';

describe('SessionStore', () => {
  it('ends a session idle for longer than the timeout, and only then', () => {
    const clock = new FakeClock();
    const store = new SessionStore({ idleMs: 60_000, now: () => clock.now() });
    const { id } = store.create('ann', 'operator');
    clock.advance(59_000);
    assert.equal(store.get(id)?.user, 'ann');
    clock.advance(59_000);
    assert.equal(store.get(id)?.user, 'ann', 'each use restarts the idle time');
    clock.advance(60_001);
    assert.equal(store.get(id), null);
  });

  it('closes the streams of a session when it ends', () => {
    const clock = new FakeClock();
    const store = new SessionStore({ idleMs: 1000, now: () => clock.now() });
    const { id, session } = store.create('ann', 'viewer');
    let closed = 0;
    session.closers.add(() => {
      closed += 1;
    });
    store.destroy(id);
    assert.equal(closed, 1);
    assert.equal(store.get(id), null);
    const other = store.create('bob', 'viewer');
    other.session.closers.add(() => {
      closed += 1;
    });
    clock.advance(1001);
    store.sweep();
    assert.equal(closed, 2);
    assert.equal(store.size, 0);
  });

  it('gives a new id each time and refuses ids of another shape', () => {
    const store = new SessionStore({ idleMs: 1000, now: () => 0 });
    const a = store.create(null, null);
    const b = store.create(null, null);
    assert.notEqual(a.id, b.id);
    assert.match(a.id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(store.get(`${a.id}=`), null);
    assert.equal(store.get(undefined), null);
    assert.equal(store.get(''), null);
  });

  it('stays bounded, dropping anonymous sessions before users', () => {
    const store = new SessionStore({ idleMs: 1000, now: () => 0, max: 3 });
    const user = store.create('ann', 'operator');
    for (let i = 0; i < 10; i++) store.create(null, null);
    assert.equal(store.size, 3);
    assert.equal(store.get(user.id)?.user, 'ann');
  });
});
