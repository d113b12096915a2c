import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcStat, ProcSource } from '../../../src/stats/index.js';
import { StatsService } from '../../../src/supervisor/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';

// The sampler on a fake clock and a fake process table: it samples only while read or held, a
// cold read takes two passes to give CPU%, and every program is measured from one table per pass.

const fakeSource = () => {
  let ticks = 0;
  let passes = 0;
  const source: ProcSource = {
    pageSize: 4096,
    ticksPerSecond: 100,
    table: async () => {
      await Promise.resolve();
      passes += 1;
      ticks += 10;
      const row = (pid: number, ppid: number, utime: number): [number, ProcStat] => [
        pid,
        { pid, ppid, state: 'S', utime, stime: 0, cutime: 0, cstime: 0, starttime: pid, rss: 25 },
      ];
      return new Map([row(100, 1, ticks), row(101, 100, ticks), row(200, 1, 0)]);
    },
  };
  return { source, passes: () => passes };
};

// Passes are asynchronous (the table is read in slices): time moves in steps, with the pending
// work of each step done before the next.
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const setup = () => {
  const clock = new FakeClock();
  const tick = async (ms: number): Promise<void> => {
    await settle();
    for (let t = 0; t < ms; t += 100) {
      clock.advance(Math.min(100, ms - t));
      await settle();
    }
  };
  const fake = fakeSource();
  const roots = [
    { key: 'web', pid: 100 },
    { key: 'db', pid: 200 },
    { key: 'idle', pid: 0 },
  ];
  const told: string[] = [];
  const stats = new StatsService(() => roots, {
    clock,
    source: fake.source,
    intervalMs: 1000,
    windowMs: 300,
    leaseMs: 5000,
    onUnavailable: (r) => told.push(r),
  });
  return { clock, tick, fake, stats, told };
};

describe('StatsService', () => {
  it('takes two passes on a cold read and gives each tree its CPU%, memory and pids', async () => {
    const { clock, tick, fake, stats } = setup();
    const reading = stats.read();
    await tick(300);
    const figures = await reading;
    assert.equal(fake.passes(), 2);
    // web's tree (two processes) gained 2 × 10 ticks = 0.2 s of CPU in 0.3 s.
    assert.deepEqual(figures.get('web'), {
      cpuPercent: (0.2 / 0.3) * 100,
      cpuSeconds: 0.4,
      rssBytes: 2 * 25 * 4096,
      pids: 2,
      sampledAt: clock.now(),
    });
    assert.equal(figures.get('db')?.cpuPercent, 0);
    assert.equal(figures.has('idle'), false, 'a program that is not running has no figures');
  });

  it('samples only while leased or held, then stops', async () => {
    const { tick, fake, stats } = setup();
    const reading = stats.read();
    await tick(300);
    await reading;
    await tick(5000);
    const leased = fake.passes();
    assert.ok(leased >= 5, `passes while leased: ${leased}`);
    await tick(10_000);
    assert.equal(fake.passes(), leased, 'no pass once the lease ran out');
    const release = stats.acquire();
    await tick(3000);
    assert.equal(fake.passes(), leased + 3);
    release();
    release();
    await tick(3000);
    assert.equal(fake.passes(), leased + 3);
  });

  it('answers from the latest pass when it is recent enough, and calls pass listeners', async () => {
    const { clock, tick, fake, stats } = setup();
    const seen: number[] = [];
    stats.onPass((f) => seen.push(f.size));
    const reading = stats.read();
    await tick(300);
    await reading;
    const passes = fake.passes();
    await stats.read(2000);
    assert.equal(fake.passes(), passes, 'fresh enough: no new pass');
    clock.jump(2500);
    await stats.read(2000);
    assert.equal(fake.passes(), passes + 1, 'older than asked: one more pass, CPU% against the last');
    assert.deepEqual(seen, [2, 2, 2]);
    stats.close();
  });

  it('without /proc has no figures and says so once', async () => {
    const clock = new FakeClock();
    const told: string[] = [];
    const stats = new StatsService(() => [{ key: 'web', pid: 100 }], {
      clock,
      source: null,
      onUnavailable: (r) => told.push(r),
    });
    assert.equal((await stats.read()).size, 0);
    await stats.read();
    assert.equal(told.length, 1);
    assert.match(stats.unavailable ?? '', /need \/proc/);
    assert.equal(clock.pendingTimers, 0);
  });
});
