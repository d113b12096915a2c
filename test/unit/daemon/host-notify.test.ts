import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loopHealthy, summaryText, watchdogUsec } from '../../../src/daemon/host-notify.js';

describe("tend's own sd_notify", () => {
  const lag: [number, number, boolean][] = [
    [5, 15_000, true],
    [7_499, 15_000, true],
    [7_500, 15_000, false],
    [60_000, 15_000, false],
  ];
  for (const [lagMs, interval, healthy] of lag) {
    it(`a loop delay of ${lagMs} ms with pings every ${interval} ms: ${healthy ? 'ping' : 'skip'}`, () => {
      assert.equal(loopHealthy(lagMs, interval), healthy);
    });
  }

  it('STATUS= summarises the states', () => {
    assert.equal(summaryText({ RUNNING: 12, BACKOFF: 1 }), '12 running, 1 backoff');
    assert.equal(summaryText({ FATAL: 1, STARTING: 2, RUNNING: 0 }), '2 starting, 1 fatal');
    assert.equal(summaryText({}), 'no programs');
  });

  it('the watchdog is ours when WATCHDOG_USEC is set and WATCHDOG_PID is unset or our pid', () => {
    assert.equal(watchdogUsec({ WATCHDOG_USEC: '30000000' }, 42), 30_000_000);
    assert.equal(watchdogUsec({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42), 30_000_000);
    assert.equal(watchdogUsec({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '41' }, 42), null);
    assert.equal(watchdogUsec({ WATCHDOG_USEC: '0' }, 42), null);
    assert.equal(watchdogUsec({}, 42), null);
  });
});
