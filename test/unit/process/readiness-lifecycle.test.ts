// The lifecycle with tend's keys, on a fake clock: ready_timeout, EXTEND_TIMEOUT_USEC, the
// watchdog, health restarts, exponential restart delays and the flap guard. Without these keys
// the process behaves exactly as under supervisord (see lifecycle.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSITIONS, type ActionName } from '../../../src/process/index.js';
import { setupProcess, spawnGaps } from '../../helpers/lifecycle.js';

const NOTIFY = { ready: { kind: 'notify', text: 'notify' } } as const;

const readyNotify = (overrides = {}, opts = {}) => {
  const s = setupProcess({ ...NOTIFY, ...overrides }, opts);
  s.p.dispatch({ type: 'start' });
  return s;
};

const runningNotify = (overrides = {}, opts = {}) => {
  const s = readyNotify(overrides, opts);
  s.p.deliver(s.p.generation, { type: 'ready' });
  assert.equal(s.p.state, 'RUNNING');
  return s;
};

describe('lifecycle: readiness other than startsecs', () => {
  it('stays STARTING past startsecs until ready, then logs why it is RUNNING', () => {
    const { p, clock, logs } = readyNotify({ startsecs: 1 });
    clock.advance(30_000);
    assert.equal(p.state, 'STARTING');
    p.deliver(p.generation, { type: 'ready' });
    assert.equal(p.state, 'RUNNING');
    assert.equal(logs.at(-1), 'info success: web entered RUNNING state, process is ready (ready = notify)');
  });

  it('not ready within ready_timeout: the group is stopped, then BACKOFF with the reason, retried', () => {
    const { p, clock, spawner, transitions } = readyNotify({
      readyTimeout: 2,
      startretries: 1,
      stopwaitsecs: 5,
    });
    clock.advance(2000);
    assert.equal(p.state, 'STOPPING');
    assert.deepEqual(spawner.signals.at(-1), { pid: spawner.last.pid, signal: 'TERM', group: true });
    clock.advance(5000);
    assert.deepEqual(spawner.signals.at(-1), { pid: spawner.last.pid, signal: 'KILL', group: true });
    spawner.last.exit(null, 'SIGKILL');
    assert.equal(p.state, 'BACKOFF');
    assert.equal(p.spawnerr, 'not ready after 2s (ready = notify)');
    assert.equal(p.exitstatus, null);
    clock.advance(1000);
    assert.equal(spawner.children.length, 2, 'retried after the backoff delay');
    clock.advance(2000);
    spawner.last.exit(null, 'SIGTERM');
    assert.equal(p.state, 'FATAL');
    assert.equal(p.spawnerr, 'not ready after 2s (ready = notify)');
    assert.deepEqual(transitions.slice(0, 4), [
      'STOPPED>STARTING',
      'STARTING>STOPPING',
      'STOPPING>BACKOFF',
      'BACKOFF>STARTING',
    ]);
  });

  it('ready_timeout = 0 waits forever', () => {
    const { p, clock } = readyNotify({ readyTimeout: 0 });
    clock.advance(86_400_000);
    assert.equal(p.state, 'STARTING');
  });

  it('an exit before ready is a failed start, however late it comes', () => {
    const { p, clock, spawner } = readyNotify({ readyTimeout: 0, startsecs: 1 });
    clock.advance(60_000);
    spawner.last.exit(0);
    assert.equal(p.state, 'BACKOFF');
    assert.equal(p.spawnerr, 'Exited too quickly (process log may have details)');
  });

  it('a stop request while tend stops a process that was not ready ends in STOPPED', () => {
    const { p, clock, spawner } = readyNotify({ readyTimeout: 1 });
    clock.advance(1000);
    assert.equal(p.state, 'STOPPING');
    p.dispatch({ type: 'stop' });
    spawner.last.exit(null, 'SIGTERM');
    assert.equal(p.state, 'STOPPED');
  });

  const extend: [string, number, number, number][] = [
    ['EXTEND_TIMEOUT_USEC past the deadline moves it', 1000, 5000, 6000],
    ['EXTEND_TIMEOUT_USEC never shortens the timeout', 1000, 500, 3000],
  ];
  for (const [title, at, extendMs, expiresAt] of extend) {
    it(title, () => {
      const { p, clock } = readyNotify({ readyTimeout: 3 });
      clock.advance(at);
      p.deliver(p.generation, { type: 'extendTimeout', ms: extendMs });
      clock.advance(expiresAt - at - 1);
      assert.equal(p.state, 'STARTING');
      clock.advance(1);
      assert.equal(p.state, 'STOPPING');
    });
  }

  it('EXTEND_TIMEOUT_USEC extends stopwaitsecs while STOPPING and is ignored while RUNNING', () => {
    const { p, clock, spawner } = runningNotify({ stopwaitsecs: 2 });
    p.deliver(p.generation, { type: 'extendTimeout', ms: 60_000 });
    p.dispatch({ type: 'stop' });
    p.deliver(p.generation, { type: 'extendTimeout', ms: 10_000 });
    clock.advance(9999);
    assert.equal(spawner.signals.at(-1)?.signal, 'TERM');
    clock.advance(1);
    assert.equal(spawner.signals.at(-1)?.signal, 'KILL');
  });

  it('the startsecs timer is not an EXTEND_TIMEOUT_USEC timeout', () => {
    const { p, clock } = setupProcess({ startsecs: 1 });
    p.dispatch({ type: 'start' });
    p.deliver(p.generation, { type: 'extendTimeout', ms: 60_000 });
    clock.advance(1000);
    assert.equal(p.state, 'RUNNING');
  });
});

describe('lifecycle: watchdog and health restarts', () => {
  it('gives the child WATCHDOG_USEC, its own pid as WATCHDOG_PID, and tend-managed variables on top', () => {
    const { spawner } = readyNotify(
      { watchdogSec: 2.5, environment: { NOTIFY_SOCKET: '/elsewhere' } },
      { extraEnv: { NOTIFY_SOCKET: '/run/tend/web.sock' } },
    );
    const request = spawner.last.request;
    assert.equal(request.env.WATCHDOG_USEC, '2500000');
    assert.equal(request.env.NOTIFY_SOCKET, '/run/tend/web.sock');
    assert.deepEqual(request.pidEnv, ['WATCHDOG_PID']);
  });

  it('without watchdog_sec no pid variable is requested (no exec wrapper)', () => {
    const { spawner } = readyNotify();
    assert.deepEqual(spawner.last.request.pidEnv, []);
    assert.equal(spawner.last.request.env.WATCHDOG_USEC, undefined);
  });

  it('WATCHDOG=1 keeps it alive; silence for watchdog_sec restarts the group, even with autorestart=false', () => {
    const s = runningNotify({ watchdogSec: 2, autorestart: false, stopwaitsecs: 1 });
    const { p, clock, spawner, logs } = s;
    for (let i = 0; i < 5; i++) {
      clock.advance(1500);
      p.deliver(p.generation, { type: 'watchdogPing' });
    }
    assert.equal(p.state, 'RUNNING');
    clock.advance(2000);
    assert.equal(p.state, 'STOPPING');
    assert.deepEqual(spawner.signals.at(-1), { pid: spawner.last.pid, signal: 'TERM', group: true });
    spawner.last.exit(null, 'SIGTERM');
    assert.equal(spawner.children.length, 2, 'restarted at once (linear)');
    assert.equal(p.state, 'STARTING');
    assert.deepEqual(p.lastRestart, { reason: 'watchdog: no WATCHDOG=1 within 2s', time: clock.now() });
    assert.ok(logs.includes('warn restarting web: watchdog: no WATCHDOG=1 within 2s'));
    assert.ok(
      logs.includes(
        'warn exited: web (terminated by SIGTERM; restarting: watchdog: no WATCHDOG=1 within 2s)',
      ),
    );
  });

  it('the watchdog is armed only once RUNNING; WATCHDOG_USEC= changes the interval', () => {
    const { p, clock } = readyNotify({ watchdogSec: 1 });
    p.deliver(p.generation, { type: 'watchdogPing' });
    clock.advance(5000);
    assert.equal(p.state, 'STARTING');
    p.deliver(p.generation, { type: 'ready' });
    p.deliver(p.generation, { type: 'watchdogPing', usec: 10_000_000 });
    clock.advance(9999);
    assert.equal(p.state, 'RUNNING');
    clock.advance(1);
    assert.equal(p.state, 'STOPPING');
  });

  it('unhealthy restarts the group with the reason kept; EXITED shows it as spawnerr', () => {
    const { p, spawner, transitions } = runningNotify({ autorestart: false });
    p.deliver(p.generation, {
      type: 'unhealthy',
      reason: 'unhealthy: HTTP 500 (3 checks in a row)',
      cause: 'health',
    });
    spawner.last.exit(null, 'SIGTERM');
    assert.deepEqual(transitions.slice(-4), [
      'STARTING>RUNNING',
      'RUNNING>STOPPING',
      'STOPPING>EXITED',
      'EXITED>STARTING',
    ]);
    assert.equal(p.lastRestart?.reason, 'unhealthy: HTTP 500 (3 checks in a row)');
  });

  it('a stop request during a health restart leaves it stopped', () => {
    const { p, spawner } = runningNotify();
    p.deliver(p.generation, { type: 'unhealthy', reason: 'unhealthy: x', cause: 'health' });
    p.dispatch({ type: 'stop' });
    spawner.last.exit(null, 'SIGTERM');
    assert.equal(p.state, 'STOPPED');
    assert.equal(spawner.children.length, 1);
  });

  it('no health restart while the daemon shuts down', () => {
    const { p, spawner } = runningNotify({}, { autoRestart: false });
    p.deliver(p.generation, { type: 'unhealthy', reason: 'unhealthy: x', cause: 'health' });
    spawner.last.exit(null, 'SIGTERM');
    assert.equal(p.state, 'EXITED');
    assert.equal(spawner.children.length, 1);
  });

  it('late readiness events are ignored where they mean nothing, and stale ones dropped', () => {
    const { p, spawner } = runningNotify();
    const old = p.generation;
    p.deliver(old, { type: 'ready' });
    p.deliver(old, { type: 'extendTimeout', ms: 1000 });
    p.dispatch({ type: 'stop' });
    p.deliver(old, { type: 'ready' });
    p.deliver(old, { type: 'unhealthy', reason: 'x', cause: 'health' });
    spawner.last.exit(0);
    p.deliver(old, { type: 'ready' });
    assert.equal(p.state, 'STOPPED');
  });
});

describe('lifecycle: crash loops', () => {
  it('defaults keep supervisord: startsecs=0 + autorestart restarts at once, every time (W3)', () => {
    const s = setupProcess({ startsecs: 0, autorestart: true });
    s.p.dispatch({ type: 'start' });
    assert.deepEqual(spawnGaps(s, 20, 0), new Array(20).fill(0));
  });

  it('exponential: restarts out of EXITED wait 0, 1 s, 2 s, 4 s… up to backoff_max', () => {
    const s = setupProcess({ startsecs: 0, autorestart: true, backoff: { kind: 'exponential', maxSecs: 8 } });
    s.p.dispatch({ type: 'start' });
    assert.deepEqual(spawnGaps(s, 7, 100), [0, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('exponential: the delay starts over once a run lasted backoff_max', () => {
    const s = setupProcess({ startsecs: 0, autorestart: true, backoff: { kind: 'exponential', maxSecs: 8 } });
    s.p.dispatch({ type: 'start' });
    assert.deepEqual(spawnGaps(s, 4, 100), [0, 1000, 2000, 4000]);
    assert.deepEqual(spawnGaps(s, 3, 8000), [0, 0, 0]);
    assert.deepEqual(spawnGaps(s, 2, 100), [1000, 2000]);
  });

  it('a stop while a delayed restart is pending cancels it: EXITED → STOPPED', () => {
    const s = setupProcess({
      startsecs: 0,
      autorestart: true,
      backoff: { kind: 'exponential', maxSecs: 60 },
    });
    s.p.dispatch({ type: 'start' });
    spawnGaps(s, 2, 100);
    s.spawner.last.exit(1);
    assert.equal(s.p.state, 'EXITED');
    assert.ok(s.p.hasPendingTimer);
    s.p.dispatch({ type: 'stop' });
    assert.equal(s.p.state, 'STOPPED');
    s.clock.advance(600_000);
    assert.equal(s.spawner.children.length, 3);
  });

  it('exponential BACKOFF: failed starts wait 1 s, 2 s, 4 s, then FATAL after startretries', () => {
    const s = setupProcess({ startsecs: 10, startretries: 3, backoff: { kind: 'exponential', maxSecs: 60 } });
    s.p.dispatch({ type: 'start' });
    assert.deepEqual(spawnGaps(s, 4, 100), [1000, 2000, 4000]);
    assert.equal(s.p.state, 'FATAL');
  });

  it('flap guard: restart_limit restarts within restart_window, then FATAL, after any prior uptime', () => {
    const s = setupProcess({ startsecs: 0, autorestart: true, restartLimit: 3, restartWindow: 10 });
    s.p.dispatch({ type: 'start' });
    s.clock.advance(86_400_000);
    assert.deepEqual(spawnGaps(s, 5, 100), [0, 0, 0]);
    assert.equal(s.p.state, 'FATAL');
    assert.equal(s.p.spawnerr, 'crash loop: 3 restarts within 10s (restart_limit = 3, restart_window = 10)');
    assert.equal(
      s.logs.at(-1),
      'info gave up: web entered FATAL state, crash loop: 3 restarts within 10s (restart_limit = 3, restart_window = 10)',
    );
  });

  it('flap guard: restarts spread wider than the window never trip it', () => {
    const s = setupProcess({ startsecs: 0, autorestart: true, restartLimit: 2, restartWindow: 10 });
    s.p.dispatch({ type: 'start' });
    assert.deepEqual(spawnGaps(s, 10, 5001), new Array(10).fill(0));
    assert.equal(s.p.state, 'STARTING');
  });

  it('flap guard counts failed-start retries and health restarts alike', () => {
    const s = setupProcess({ ...NOTIFY, startretries: 10, restartLimit: 2, restartWindow: 60 });
    s.p.dispatch({ type: 'start' });
    s.p.deliver(s.p.generation, { type: 'ready' });
    s.p.deliver(s.p.generation, { type: 'unhealthy', reason: 'unhealthy: x', cause: 'health' });
    s.spawner.last.exit(null, 'SIGTERM');
    assert.equal(s.spawner.children.length, 2);
    s.spawner.last.exit(1);
    s.clock.advance(1000);
    assert.equal(s.spawner.children.length, 3);
    s.spawner.last.exit(1);
    assert.equal(s.p.state, 'FATAL');
    assert.match(s.p.spawnerr, /^crash loop: 2 restarts within 60s/);
  });

  it('a manual start after FATAL starts the flap guard and the streak over', () => {
    const s = setupProcess({ startsecs: 0, autorestart: true, restartLimit: 1, restartWindow: 60 });
    s.p.dispatch({ type: 'start' });
    spawnGaps(s, 2, 100);
    assert.equal(s.p.state, 'FATAL');
    s.p.dispatch({ type: 'start' });
    assert.deepEqual(spawnGaps(s, 1, 100), [0]);
  });
});

describe('lifecycle: depends_on failures', () => {
  it('a start that waited for a failed dependency goes FATAL with the reason', () => {
    const { p, transitions } = setupProcess();
    p.dispatch({ type: 'dependencyFailed', reason: "dependency db is FATAL: can't find command '/x'" });
    assert.equal(p.state, 'FATAL');
    assert.equal(p.spawnerr, "dependency db is FATAL: can't find command '/x'");
    assert.deepEqual(transitions, ['STOPPED>FATAL']);
  });
});

describe('transition table (tend rows)', () => {
  it('uses every named action somewhere', () => {
    const used = new Set(Object.values(TRANSITIONS).flatMap((row) => Object.values(row)));
    const all: ActionName[] = [
      'spawn',
      'spawnFresh',
      'becomeRunning',
      'exitDuringStart',
      'exitWhileRunning',
      'spawnFailedLate',
      'stopNotReady',
      'stopForRestart',
      'rearmWatchdog',
      'extendTimeout',
      'beginStop',
      'keepStopping',
      'escalateKill',
      'reapStopped',
      'cancelBackoff',
      'cancelRestart',
      'failDependency',
      'ignore',
    ];
    assert.deepEqual([...used].sort(), [...all].sort());
  });

  it('every state a live child can be in handles every readiness event', () => {
    for (const state of ['STARTING', 'RUNNING', 'STOPPING', 'UNKNOWN'] as const) {
      for (const event of ['ready', 'watchdogPing', 'extendTimeout', 'unhealthy'] as const) {
        assert.ok(TRANSITIONS[state][event] !== undefined, `${state} × ${event}`);
      }
    }
  });
});
