// The policyRestart event (memory_limit, cron_restart) in the transition table, on a fake clock:
// what it does in each state a live child can be in, and what the restart that follows looks like.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidTransition, TRANSITIONS } from '../../../src/process/index.js';
import type { TendEvent } from '../../../src/events/index.js';
import { setupProcess } from '../../helpers/lifecycle.js';

const memory = { type: 'policyRestart', reason: 'memory 612 MiB > limit 512 MiB', cause: 'memory' } as const;
const cron = { type: 'policyRestart', reason: 'cron_restart = 0 3 * * *', cause: 'cron' } as const;

const running = (overrides = {}) => {
  const s = setupProcess({ startsecs: 1, stopwaitsecs: 5, ...overrides });
  const restarts: TendEvent[] = [];
  s.bus.on('PROCESS_RESTART', (e) => restarts.push(e));
  s.p.dispatch({ type: 'start' });
  s.clock.advance(1000);
  assert.equal(s.p.state, 'RUNNING');
  return { ...s, restarts };
};

describe('lifecycle: policyRestart', () => {
  it('is named in every state a live child can be in, and only there', () => {
    assert.deepEqual(
      Object.entries(TRANSITIONS).flatMap(([state, row]) =>
        row.policyRestart === undefined ? [] : [`${state}:${row.policyRestart}`],
      ),
      ['STARTING:ignore', 'RUNNING:stopForRestart', 'STOPPING:ignore'],
    );
  });

  it('RUNNING: stops the group gracefully, then restarts with the reason', () => {
    const { p, spawner, transitions, restarts } = running();
    const pid = spawner.last.pid;
    p.dispatch(memory);
    assert.equal(p.state, 'STOPPING');
    assert.deepEqual(spawner.signals, [{ pid, signal: 'TERM', group: true }]);
    spawner.last.exit(null, 'SIGTERM');
    assert.deepEqual(transitions.slice(-3), ['RUNNING>STOPPING', 'STOPPING>EXITED', 'EXITED>STARTING']);
    assert.equal(p.lastRestart?.reason, memory.reason);
    assert.deepEqual(restarts, [
      { ...restarts[0], reason: 'memory', detail: memory.reason, pid, delayMs: 0 },
    ]);
  });

  it('SIGKILL after stopwaitsecs when the stop signal is ignored', () => {
    const { p, spawner, clock } = running();
    p.dispatch(cron);
    clock.advance(5000);
    assert.deepEqual(
      spawner.signals.map((s) => s.signal),
      ['TERM', 'KILL'],
    );
    spawner.last.exit(null, 'SIGKILL');
    assert.equal(p.state, 'STARTING');
  });

  it('STARTING and STOPPING ignore it; a stop request during it leaves the program stopped', () => {
    const s = setupProcess({ startsecs: 5 });
    s.p.dispatch({ type: 'start' });
    s.p.dispatch(memory);
    assert.equal(s.p.state, 'STARTING');
    const r = running();
    r.p.dispatch(memory);
    r.p.dispatch(cron);
    r.p.dispatch({ type: 'stop' });
    r.spawner.last.exit(null, 'SIGTERM');
    assert.equal(r.p.state, 'STOPPED');
    assert.equal(r.spawner.children.length, 1);
  });

  it('is a bug in a state without a child (callers check the state first)', () => {
    const { p } = setupProcess();
    assert.throws(() => {
      p.dispatch(memory);
    }, InvalidTransition);
  });

  it('no restart after the stop while the daemon is shutting down', () => {
    const s = setupProcess({ startsecs: 1 }, { autoRestart: false });
    s.p.dispatch({ type: 'start' });
    s.clock.advance(1000);
    s.p.dispatch(memory);
    s.spawner.last.exit(null, 'SIGTERM');
    assert.equal(s.p.state, 'EXITED');
    assert.equal(s.spawner.children.length, 1);
  });
});
