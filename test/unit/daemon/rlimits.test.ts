import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { raiseTo, readLimit } from '../../../src/daemon/rlimits.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max processes             100                  unlimited            processes
Max open files            64                   4096                 files
`;

describe('minfds / minprocs arithmetic (supervisord set_rlimits_or_exit)', () => {
  it('reads soft and hard limits from /proc/self/limits, unlimited as Infinity', () => {
    assert.deepEqual(readLimit('Max open files', LIMITS), { soft: 64, hard: 4096 });
    assert.deepEqual(readLimit('Max processes', LIMITS), { soft: 100, hard: Infinity });
    assert.equal(readLimit('Max nothing', LIMITS), null);
  });

  it('raises the soft limit to the minimum, and the hard one only when it is lower', () => {
    assert.equal(raiseTo({ soft: 2048, hard: 4096 }, 1024), null, 'enough already');
    assert.equal(raiseTo({ soft: Infinity, hard: Infinity }, 1024), null);
    assert.deepEqual(raiseTo({ soft: 64, hard: 4096 }, 1024), { soft: 1024, hard: 4096 });
    assert.deepEqual(raiseTo({ soft: 64, hard: 64 }, 1024), { soft: 1024, hard: 1024 });
    assert.deepEqual(raiseTo({ soft: 100, hard: Infinity }, 200), { soft: 200, hard: Infinity });
  });
});
