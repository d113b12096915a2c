import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { policy } from '../../../src/process/index.js';

// memory_limit's decision and the delays of restarts tend decides on, as tables of cases.

const MiB = 1024 * 1024;
const limit = { bytes: 512 * MiB, checks: 3 };

describe('judgeMemory', () => {
  const cases: [string, number, number, policy.MemoryVerdict][] = [
    ['below the limit', 0, 100 * MiB, { over: 0, restart: null }],
    ['exactly at the limit is not above it', 2, 512 * MiB, { over: 0, restart: null }],
    ['a first sample above', 0, 600 * MiB, { over: 1, restart: null }],
    ['a second sample above', 1, 600 * MiB, { over: 2, restart: null }],
    [
      'the third in a row restarts, and the count starts over',
      2,
      612 * MiB,
      { over: 0, restart: 'memory 612 MiB > limit 512 MiB' },
    ],
    ['a sample below ends the run', 2, 511 * MiB, { over: 0, restart: null }],
  ];
  for (const [title, before, rss, expected] of cases) {
    it(title, () => {
      assert.deepEqual(policy.judgeMemory(before, rss, limit), expected);
    });
  }

  it('memory_limit_checks = 1 restarts at the first sample above', () => {
    assert.equal(
      policy.judgeMemory(0, 2 * MiB, { bytes: MiB, checks: 1 }).restart,
      'memory 2 MiB > limit 1 MiB',
    );
  });

  it('a limit of 0 is off', () => {
    assert.deepEqual(policy.judgeMemory(5, 10_000 * MiB, { bytes: 0, checks: 1 }), {
      over: 0,
      restart: null,
    });
  });

  it('says small sizes with a decimal', () => {
    assert.equal(policy.formatMiB(1536 * 1024), '1.5 MiB');
    assert.equal(policy.formatMiB(612.4 * MiB), '612 MiB');
  });
});

describe('policyRestartDelayMs', () => {
  it('restarts the first at once and backs off the next, even on the linear curve', () => {
    const linear = { kind: 'linear', maxSecs: null } as const;
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => policy.policyRestartDelayMs(n, linear)),
      [0, 1000, 2000, 3000],
    );
    // Unlike a crash out of RUNNING, which the linear curve restarts at once every time.
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => policy.restartDelayMs(n, linear)),
      [0, 0, 0, 0],
    );
  });

  it('follows the exponential curve and backoff_max', () => {
    const curve = { kind: 'exponential', maxSecs: 3 } as const;
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => policy.policyRestartDelayMs(n, curve)),
      [0, 1000, 2000, 3000, 3000],
    );
  });
});
