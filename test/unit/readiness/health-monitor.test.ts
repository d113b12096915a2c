import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthcheckConfig } from '../../../src/config/types.js';
import { HealthMonitor, type CommandRunner } from '../../../src/readiness/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// A health check whose exec probe answers from a script of exit codes.
const setup = (codes: number[], overrides: Partial<HealthcheckConfig> = {}) => {
  const clock = new FakeClock();
  const config: HealthcheckConfig = {
    probe: { kind: 'exec', argv: ['check'], text: 'exec:check' },
    intervalSecs: 1,
    timeoutSecs: 1,
    retries: 3,
    startPeriodSecs: 0,
    ...overrides,
  };
  let probes = 0;
  const run: CommandRunner = () => {
    probes += 1;
    return Promise.resolve({ code: codes.shift() ?? 0, timedOut: false, output: 'HTTP 500', error: null });
  };
  const reasons: string[] = [];
  const monitor = new HealthMonitor(
    config,
    { timeoutMs: 1000, expect: { status: [], header: null }, run },
    clock,
    (reason) => reasons.push(reason),
  );
  const tick = async (ms = 1000): Promise<void> => {
    clock.advance(ms);
    await flush();
  };
  return { monitor, clock, reasons, tick, probes: () => probes };
};

describe('health monitor on a fake clock', () => {
  it('is unknown until the first probe, healthy after a success', async () => {
    const { monitor, tick } = setup([0]);
    monitor.start();
    assert.equal(monitor.snapshot.health, 'unknown');
    await tick();
    assert.equal(monitor.snapshot.health, 'healthy');
    assert.equal(monitor.snapshot.lastCheck, 1_700_000_001_000);
  });

  it('reports unhealthy once, after healthcheck_retries failures in a row, and stops probing', async () => {
    const { monitor, tick, reasons, probes } = setup([0, 1, 1, 0, 1, 1, 1, 0, 0]);
    monitor.start();
    for (let i = 0; i < 4; i++) await tick();
    assert.equal(monitor.snapshot.health, 'healthy', 'a success resets the count');
    assert.equal(monitor.snapshot.lastError, 'exit 1: HTTP 500');
    await tick();
    await tick();
    assert.deepEqual(reasons, []);
    assert.equal(monitor.snapshot.failures, 2);
    await tick();
    assert.equal(monitor.snapshot.health, 'unhealthy');
    assert.deepEqual(reasons, [
      'unhealthy: exit 1: HTTP 500 (3 failed checks in a row, healthcheck = exec:check)',
    ]);
    const count = probes();
    await tick(10_000);
    assert.equal(probes(), count);
  });

  it('failures inside healthcheck_start_period do not count', async () => {
    const { monitor, tick, reasons } = setup([1, 1, 1, 1, 1, 1], { startPeriodSecs: 3.5, retries: 2 });
    monitor.start();
    for (let i = 0; i < 3; i++) await tick();
    assert.equal(monitor.snapshot.failures, 0);
    assert.equal(monitor.snapshot.lastError, 'exit 1: HTTP 500');
    await tick();
    assert.deepEqual(reasons, []);
    await tick();
    assert.equal(reasons.length, 1);
  });

  it('stop() ignores a probe in flight; start() begins a fresh count', async () => {
    const { monitor, tick, reasons } = setup([1, 1, 1, 1], { retries: 2 });
    monitor.start();
    await tick();
    monitor.stop();
    await tick(5000);
    monitor.start();
    await tick();
    assert.deepEqual(reasons, []);
    await tick();
    assert.equal(reasons.length, 1);
  });
});
