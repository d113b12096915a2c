import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BackoffConfig } from '../../../src/config/types.js';
import { policy } from '../../../src/process/index.js';

const LINEAR: BackoffConfig = { kind: 'linear', maxSecs: null };
const LINEAR_CAPPED: BackoffConfig = { kind: 'linear', maxSecs: 3 };
const EXPONENTIAL: BackoffConfig = { kind: 'exponential', maxSecs: 60 };
const EXPONENTIAL_8: BackoffConfig = { kind: 'exponential', maxSecs: 8 };

const curve = (f: (n: number) => number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => f(i + 1));

describe('policy: backoff after failed starts (BACKOFF)', () => {
  const cases: [string, BackoffConfig, number[]][] = [
    ['linear is supervisord: n seconds', LINEAR, [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]],
    ['linear with backoff_max', LINEAR_CAPPED, [1000, 2000, 3000, 3000, 3000, 3000, 3000, 3000]],
    ['exponential doubles from 1 s', EXPONENTIAL, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]],
    ['exponential with backoff_max', EXPONENTIAL_8, [1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000]],
  ];
  for (const [title, c, expected] of cases) {
    it(title, () => {
      assert.deepEqual(
        curve((n) => policy.backoffDelayMs(n, c), 8),
        expected,
      );
    });
  }
});

describe('policy: restarts out of EXITED', () => {
  const cases: [string, BackoffConfig, number[]][] = [
    ['linear restarts at once, always (supervisord)', LINEAR, [0, 0, 0, 0, 0, 0]],
    ['linear ignores backoff_max here too', LINEAR_CAPPED, [0, 0, 0, 0, 0, 0]],
    ['exponential: the first at once, then 1 s, 2 s, 4 s…', EXPONENTIAL, [0, 1000, 2000, 4000, 8000, 16000]],
    ['exponential capped by backoff_max', EXPONENTIAL_8, [0, 1000, 2000, 4000, 8000, 8000]],
  ];
  for (const [title, c, expected] of cases) {
    it(title, () => {
      assert.deepEqual(
        curve((n) => policy.restartDelayMs(n, c), 6),
        expected,
      );
    });
  }

  const streaks: [string, number, number, BackoffConfig, number][] = [
    ['a short run continues the streak', 3, 5_000, EXPONENTIAL, 4],
    ['a run as long as backoff_max starts over', 3, 60_000, EXPONENTIAL, 1],
    ['with backoff_max = 8, 8 s of uptime is enough', 5, 8_000, EXPONENTIAL_8, 1],
    ['without a cap (linear) a minute resets it', 5, 60_000, LINEAR, 1],
    ['the first exit starts the streak', 0, 0, EXPONENTIAL, 1],
  ];
  for (const [title, streak, uptime, c, expected] of streaks) {
    it(title, () => {
      assert.equal(policy.nextStreak(streak, uptime, c), expected);
    });
  }
});

describe('policy: flap guard', () => {
  it('keeps only restarts inside the window', () => {
    assert.deepEqual(policy.recentRestarts([0, 5_000, 10_000, 10_001], 20_000, 10), [10_001]);
    assert.deepEqual(policy.recentRestarts([15_000, 19_000], 20_000, 10), [15_000, 19_000]);
  });

  const cases: [number, number, boolean][] = [
    [0, 0, false],
    [100, 0, false],
    [2, 3, false],
    [3, 3, true],
    [4, 3, true],
  ];
  for (const [recent, limit, loop] of cases) {
    it(`${recent} recent restarts with restart_limit = ${limit}: ${loop ? 'crash loop' : 'restart'}`, () => {
      assert.equal(policy.isCrashLoop(recent, limit), loop);
    });
  }
});

describe('policy: start failures', () => {
  const startsecs = { kind: 'startsecs', text: 'startsecs' } as const;
  const notify = { kind: 'notify', text: 'notify' } as const;
  const cases: [string, number, number, typeof startsecs | typeof notify, boolean][] = [
    ['startsecs: an exit inside the window failed', 500, 1, startsecs, true],
    ['startsecs: an exit after the window ran', 1500, 1, startsecs, false],
    ['startsecs = 0 never fails', 0, 0, startsecs, false],
    ['notify: an exit before READY=1 failed, however late', 600_000, 1, notify, true],
  ];
  for (const [title, elapsed, secs, ready, failed] of cases) {
    it(title, () => {
      assert.equal(policy.isStartFailure(elapsed, secs, ready), failed);
    });
  }
});
