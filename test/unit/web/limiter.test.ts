// Failed logins: free attempts, then delays that double up to a cap, forgotten after the window.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureLimiter } from '../../../src/web/limiter.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const limiter = (clock: FakeClock) =>
  new FailureLimiter({
    now: () => clock.now(),
    free: 3,
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    windowMs: 60_000,
  });

describe('FailureLimiter', () => {
  it('lets the free failures through, then makes each next attempt wait, doubling to the cap', () => {
    const clock = new FakeClock();
    const l = limiter(clock);
    l.fail('k');
    l.fail('k');
    assert.equal(l.retryAfter('k'), 0);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      l.fail('k');
      waits.push(l.retryAfter('k'));
      clock.advance(l.retryAfter('k'));
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('keeps keys apart, and clears one on request', () => {
    const clock = new FakeClock();
    const l = limiter(clock);
    for (let i = 0; i < 3; i++) l.fail('a');
    assert.ok(l.retryAfter('a') > 0);
    assert.equal(l.retryAfter('b'), 0);
    l.clear('a');
    assert.equal(l.retryAfter('a'), 0);
  });

  it('forgets failures older than the window', () => {
    const clock = new FakeClock();
    const l = limiter(clock);
    l.fail('a');
    l.fail('a');
    clock.advance(60_001);
    l.fail('a');
    assert.equal(l.retryAfter('a'), 0);
  });
});
