import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RestartBudget, reserveRestart, type RestartBudgetConfig } from '../../../src/process/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner } from '../../helpers/fake-spawner.js';
import { setupProcess } from '../../helpers/lifecycle.js';

// The daemon-wide budget of automatic restarts (issue 15, the crash storm): a pure policy first,
// then the lifecycle on a fake clock with many processes sharing one budget.

/** Delays of `n` restarts all wanted at time `at`, reserved in order from a fresh budget. */
const delays = (config: RestartBudgetConfig, wanted: readonly number[]): number[] => {
  let state = 0;
  return wanted.map((at) => {
    const r = reserveRestart(state, at, config);
    state = r.state;
    return r.delayMs;
  });
};

describe('restart budget: the policy', () => {
  it('rate 0 never spaces restarts', () => {
    assert.deepEqual(delays({ rate: 0, burst: 1 }, Array(5).fill(1000)), [0, 0, 0, 0, 0]);
  });

  it('lets `burst` restarts go at once, then spaces the rest 1/rate apart in order', () => {
    assert.deepEqual(delays({ rate: 10, burst: 3 }, Array(6).fill(5000)), [0, 0, 0, 100, 200, 300]);
  });

  it('refills at `rate`: after a quiet second a full burst goes at once again', () => {
    const config = { rate: 10, burst: 3 };
    assert.deepEqual(delays(config, [5000, 5000, 5000, 5000, 6500, 6500, 6500]), [0, 0, 0, 100, 0, 0, 0]);
  });

  it('a restart wanted later (a policy delay) is spaced from its own time, not from now', () => {
    assert.deepEqual(delays({ rate: 1, burst: 1 }, [0, 10_000, 10_000]), [0, 0, 1000]);
  });

  it('holds the long-run rate: 1000 restarts wanted at once take (1000 - burst) / rate seconds', () => {
    const all = delays({ rate: 50, burst: 100 }, Array(1000).fill(0));
    assert.equal(all.filter((d) => d === 0).length, 100);
    assert.equal(Math.max(...all), ((1000 - 100) * 1000) / 50);
    for (let i = 1; i < all.length; i++) assert.ok((all[i] ?? 0) >= (all[i - 1] ?? 0), 'in the order asked');
  });

  it('warns at most once a minute', () => {
    const budget = new RestartBudget({ rate: 1, burst: 1 });
    assert.deepEqual(
      [0, 1000, 59_999, 60_000, 61_000].map((t) => budget.shouldWarn(t)),
      [true, false, false, true, false],
    );
  });
});

/** `n` processes on one clock, spawner and budget; startsecs=0, autorestart=true, started. */
const storm = (n: number, config: RestartBudgetConfig) => {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const restartBudget = new RestartBudget(config);
  const procs = Array.from({ length: n }, (_, i) => {
    const s = setupProcess(
      { name: `p${i}`, startsecs: 0, autorestart: true },
      { clock, spawner, restartBudget },
    );
    s.p.dispatch({ type: 'start' });
    return s;
  });
  return { clock, spawner, restartBudget, procs };
};

/** Every live child of the storm exits 1 at once, every `everyMs`, for `ms`. */
const crashEvery = (s: ReturnType<typeof storm>, everyMs: number, ms: number): void => {
  for (let t = 0; t < ms; t += everyMs) {
    for (const child of s.spawner.children.filter((c) => !c.exited)) child.exit(1);
    s.clock.advance(everyMs);
  }
};

describe('restart budget: a crash storm on a fake clock', () => {
  it('200 programs exiting at once, forever: spawns stay within burst + rate × time, every program gets turns', () => {
    const s = storm(200, { rate: 50, burst: 100 });
    const initial = s.spawner.children.length;
    assert.equal(initial, 200, 'the first starts (asked for) never wait for the budget');
    crashEvery(s, 10, 10_000);
    const restarts = s.spawner.children.length - initial;
    assert.ok(restarts <= 100 + 50 * 10 + 1, `${restarts} restarts in 10 s`);
    assert.ok(restarts >= 50 * 10 - 50, `the budget is used, not starved: ${restarts}`);
    const perProgram = s.procs.map(
      (p) => s.spawner.children.filter((c) => c.request.name === p.p.config.name).length,
    );
    assert.ok(
      Math.min(...perProgram) >= 2,
      `every program restarted at least once: min ${Math.min(...perProgram)}`,
    );
    assert.ok(
      s.procs.some((p) => p.logs.some((l) => l.includes('autorestart_rate'))),
      'the spacing is logged',
    );
  });

  it('without a budget (rate 0) the same storm respawns at every exit, as supervisord does', () => {
    const s = storm(200, { rate: 0, burst: 1 });
    crashEvery(s, 10, 1000);
    assert.equal(s.spawner.children.length, 200 + 200 * 100);
  });

  it('one program crashing alone restarts at once (supervisord semantics keep)', () => {
    const s = storm(1, { rate: 50, burst: 100 });
    for (let i = 0; i < 20; i++) {
      s.spawner.last.exit(1);
      assert.equal(s.spawner.children.length, 2 + i, `restart ${i + 1} is immediate`);
      s.clock.advance(1000);
    }
  });

  it('a start someone asks for is not delayed by a spent budget', () => {
    const s = storm(150, { rate: 1, burst: 1 });
    for (const child of s.spawner.children.filter((c) => !c.exited)) child.exit(1);
    const waiting = s.procs.filter((p) => p.p.state === 'EXITED');
    assert.ok(waiting.length > 100, `${waiting.length} restarts wait their turn`);
    const last = waiting.at(-1);
    assert.ok(last !== undefined);
    const spawned = s.spawner.children.length;
    last.p.dispatch({ type: 'start' });
    assert.equal(s.spawner.children.length, spawned + 1, 'spawned at once');
    assert.equal(last.p.state, 'STARTING');
  });
});
