import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessConfig } from '../../../src/config/types.js';
import type { TendEvent } from '../../../src/events/index.js';
import type { ProcStat, ProcSource } from '../../../src/stats/index.js';
import { Supervisor, startAutostart, startProcess, stopProcess } from '../../../src/supervisor/index.js';
import { configOf, groupConfig, processConfig } from '../../helpers/configs.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner } from '../../helpers/fake-spawner.js';

// memory_limit and cron_restart on a fake clock, a fake spawner and a fake process table whose
// resident memory the test sets per pid: what is restarted, when, why, and how fast in a loop.

const MiB = 1024 * 1024;
const PAGE = 4096;

const setup = (overrides: Partial<ProcessConfig>, start = Date.UTC(2026, 11, 2, 2, 59, 0)) => {
  const clock = new FakeClock(start);
  const spawner = new FakeSpawner();
  spawner.lethalSignals.add('TERM');
  /** Resident bytes of each live child's tree, by pid; a new child starts with `startRss`. */
  const rss = new Map<number, number>();
  let startRss = 100 * MiB;
  const source: ProcSource = {
    pageSize: PAGE,
    ticksPerSecond: 100,
    table: async () => {
      await Promise.resolve();
      const rows = spawner.children
        .filter((c) => !c.exited && c.pid > 0)
        .map((c): [number, ProcStat] => {
          const pages = Math.round((rss.get(c.pid) ?? startRss) / PAGE);
          const stat = { pid: c.pid, ppid: 1, state: 'S', utime: 0, stime: 0, cutime: 0, cstime: 0 };
          return [c.pid, { ...stat, starttime: c.pid, rss: pages }];
        });
      return new Map(rows);
    },
  };
  const sup = new Supervisor(configOf([groupConfig('web', [processConfig({ name: 'web', ...overrides })])]), {
    spawner,
    clock,
    log: () => undefined,
    env: { PATH: '/usr/bin:/bin' },
    cwd: '/',
    procSource: source,
  });
  const events: TendEvent[] = [];
  sup.bus.tap((e) => events.push(e));
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  /** Moves time in 100 ms steps, letting each asynchronous pass finish. */
  const tick = async (ms: number): Promise<void> => {
    await settle();
    for (let t = 0; t < ms; t += 100) {
      clock.advance(Math.min(100, ms - t));
      await settle();
    }
  };
  const live = () => spawner.children.filter((c) => !c.exited);
  const restarts = () =>
    events.flatMap((e) =>
      e.type === 'PROCESS_RESTART' ? [{ reason: e.reason, detail: e.detail, delayMs: e.delayMs }] : [],
    );
  return {
    sup,
    clock,
    spawner,
    rss,
    setStartRss: (bytes: number) => (startRss = bytes),
    events,
    tick,
    live,
    restarts,
    state: () => sup.info('web').statename,
  };
};

describe('memory_limit', () => {
  it('restarts a tree that stays above the limit for memory_limit_checks samples, saying why', async () => {
    const t = setup({ memoryLimit: 512 * MiB, memoryLimitChecks: 3 });
    startAutostart(t.sup);
    await t.tick(1000);
    assert.equal(t.state(), 'RUNNING');
    await t.tick(3000);
    assert.deepEqual(t.restarts(), [], 'below the limit nothing happens');
    const first = t.live()[0];
    assert.ok(first !== undefined);
    t.rss.set(first.pid, 612 * MiB);
    await t.tick(2000);
    assert.deepEqual(t.restarts(), [], 'two samples above are not yet three');
    assert.equal(t.sup.tendInfo('web').memoryLimit?.over, 2);
    await t.tick(1000);
    assert.deepEqual(t.restarts(), [
      { reason: 'memory', detail: 'memory 612 MiB > limit 512 MiB', delayMs: 0 },
    ]);
    assert.deepEqual(
      t.spawner.signals.filter((s) => s.pid === first.pid),
      [{ pid: first.pid, signal: 'TERM', group: true }],
      'the whole group gets the stop signal',
    );
    assert.equal(t.sup.tendInfo('web').lastRestart?.reason, 'memory 612 MiB > limit 512 MiB');
    assert.equal(t.live().length, 1);
    assert.notEqual(t.live()[0]?.pid, first.pid);
  });

  it('starts the count over after a sample below the limit', async () => {
    const t = setup({ memoryLimit: 512 * MiB, memoryLimitChecks: 3 });
    startAutostart(t.sup);
    await t.tick(1000);
    const pid = t.live()[0]?.pid ?? 0;
    for (const mib of [600, 600, 500, 600, 600, 500, 600, 600]) {
      t.rss.set(pid, mib * MiB);
      await t.tick(1000);
    }
    assert.deepEqual(t.restarts(), []);
    assert.equal(t.state(), 'RUNNING');
  });

  it('escalates to SIGKILL after stopwaitsecs when the stop signal is ignored', async () => {
    const t = setup({ memoryLimit: 10 * MiB, memoryLimitChecks: 1, stopwaitsecs: 2 });
    t.spawner.lethalSignals.clear();
    t.spawner.lethalSignals.add('KILL');
    startAutostart(t.sup);
    await t.tick(2100);
    const pid = t.spawner.children[0]?.pid ?? 0;
    assert.equal(t.state(), 'STOPPING');
    await t.tick(2000);
    assert.deepEqual(
      t.spawner.signals.filter((s) => s.pid === pid).map((s) => s.signal),
      ['TERM', 'KILL'],
    );
    assert.equal(t.restarts()[0]?.reason, 'memory');
  });

  it('a limit below what the program needs at start backs off, and restart_limit ends it in FATAL', async () => {
    const t = setup({ memoryLimit: 50 * MiB, memoryLimitChecks: 2, restartLimit: 4, restartWindow: 600 });
    startAutostart(t.sup);
    for (let i = 0; i < 40 && t.state() !== 'FATAL'; i++) await t.tick(1000);
    assert.equal(t.state(), 'FATAL');
    assert.deepEqual(
      t.restarts().map((r) => r.delayMs),
      [0, 1000, 2000, 3000],
      'each restart in the loop waits longer (linear curve: 1 s more each time)',
    );
    assert.ok(t.events.some((e) => e.type === 'PROCESS_FLAP_GUARD'));
    assert.equal(t.spawner.children.length, 5);
  });

  it('says once that a limit has no effect where there is no /proc', () => {
    const logs: string[] = [];
    const config = configOf([groupConfig('web', [processConfig({ name: 'web', memoryLimit: MiB })])]);
    const sup = new Supervisor(config, {
      spawner: new FakeSpawner(),
      clock: new FakeClock(),
      log: (level, message) => logs.push(`${level} ${message}`),
      env: {},
      cwd: '/',
      procSource: null,
    });
    sup.memory.sync();
    assert.deepEqual(
      logs.filter((l) => l.includes('memory_limit')),
      ['warn memory_limit has no effect: CPU and memory figures need /proc, which this system does not have'],
    );
  });

  it('does not sample when no program has a limit', async () => {
    const t = setup({});
    startAutostart(t.sup);
    await t.tick(5000);
    assert.equal(t.sup.stats.lastPass, null);
  });
});

describe('cron_restart', () => {
  const at3 = { cronRestart: { expression: '0 3 * * *', timezone: 'UTC' } };

  it('restarts a RUNNING program when its time comes, and shows the next time', async () => {
    const t = setup(at3);
    startAutostart(t.sup);
    await t.tick(1000);
    assert.equal(t.sup.tendInfo('web').cronRestart?.next, Date.UTC(2026, 11, 2, 3) / 1000);
    await t.tick(58_000);
    assert.deepEqual(t.restarts(), [], 'not before 03:00');
    await t.tick(1100);
    assert.deepEqual(t.restarts(), [
      { reason: 'cron', detail: 'cron_restart = 0 3 * * * (UTC)', delayMs: 0 },
    ]);
    await t.tick(1000);
    assert.equal(t.state(), 'RUNNING');
    assert.equal(t.spawner.children.length, 2);
    assert.equal(t.sup.tendInfo('web').cronRestart?.next, Date.UTC(2026, 11, 3, 3) / 1000);
  });

  it('leaves a program that is not running alone, and fires again the next day', async () => {
    const t = setup(at3);
    startAutostart(t.sup);
    await t.tick(1000);
    const stopping = stopProcess(t.sup, 'web', true);
    await t.tick(100);
    await stopping;
    await t.tick(60_000);
    assert.equal(t.state(), 'STOPPED');
    assert.deepEqual(t.restarts(), []);
    const starting = startProcess(t.sup, 'web', true);
    await t.tick(1100);
    await starting;
    t.clock.advance(24 * 3600 * 1000);
    await t.tick(1000);
    assert.deepEqual(
      t.restarts().map((r) => r.reason),
      ['cron'],
    );
  });

  it('reads the schedule in its time zone', () => {
    const t = setup({ cronRestart: { expression: '0 3 * * *', timezone: 'Asia/Tokyo' } });
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC the day before.
    assert.equal(t.sup.tendInfo('web').cronRestart?.next, Date.UTC(2026, 11, 2, 18) / 1000);
  });

  it('does not count cron restarts for the flap guard or the backoff', async () => {
    const t = setup({
      cronRestart: { expression: '*/2 * * * * *', timezone: null },
      restartLimit: 2,
      restartWindow: 600,
    });
    startAutostart(t.sup);
    await t.tick(13_500);
    assert.equal(t.state(), 'RUNNING');
    const delays = t.restarts().map((r) => r.delayMs);
    assert.ok(delays.length > 2, `more restarts (${delays.length}) than restart_limit allows crashes`);
    assert.ok(delays.every((d) => d === 0));
  });
});
