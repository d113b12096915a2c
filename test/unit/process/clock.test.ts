import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMER_MS, clockOn, type Timers } from '../../../src/process/clock.js';

// Host timers that refuse what Node's setTimeout cannot hold, and fire by hand.
function fakeTimers(): Timers & { tick(ms: number): void } {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      assert.ok(ms <= MAX_TIMER_MS, `setTimeout(${ms}) would fire at once`);
      pending.set(++next, { at: now + ms, callback });
      return next;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
    tick(ms) {
      now += ms;
      for (const [id, timer] of [...pending]) {
        if (timer.at > now) continue;
        pending.delete(id);
        timer.callback();
      }
    },
  };
}

// A delay longer than setTimeout can hold (startsecs of weeks, EXTEND_TIMEOUT_USEC from a child)
// must fire when it is due, not at once.
describe('realClock', () => {
  it('waits out delays longer than setTimeout can hold, and can cancel them', () => {
    const timers = fakeTimers();
    const clock = clockOn(timers);
    let fired = 0;
    clock.setTimer(MAX_TIMER_MS * 2 + 1000, () => fired++);
    const cancelled = clock.setTimer(MAX_TIMER_MS * 2, () => fired++);
    timers.tick(MAX_TIMER_MS);
    assert.equal(fired, 0, 'nothing fires after one piece');
    cancelled.cancel();
    timers.tick(MAX_TIMER_MS);
    timers.tick(999);
    assert.equal(fired, 0, 'the cancelled timer never fires, the long one not a millisecond early');
    timers.tick(1);
    assert.equal(fired, 1);
  });
});
