import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessConfig } from '../../../src/config/types.js';
import {
  InvalidTransition,
  PROCESS_STATE_NAMES,
  SpawnFailure,
  TRANSITIONS,
  type ProcessState,
} from '../../../src/process/index.js';
import { setupProcess } from '../../helpers/lifecycle.js';

describe('process lifecycle: starting', () => {
  it('STOPPED → STARTING → RUNNING after startsecs, logging as supervisord does', () => {
    const { p, clock, spawner, transitions, logs } = setupProcess({ startsecs: 2 });
    p.dispatch({ type: 'start' });
    assert.equal(p.state, 'STARTING');
    assert.equal(p.pid, spawner.last.pid);
    clock.advance(1999);
    assert.equal(p.state, 'STARTING');
    clock.advance(1);
    assert.equal(p.state, 'RUNNING');
    assert.deepEqual(transitions, ['STOPPED>STARTING', 'STARTING>RUNNING']);
    assert.deepEqual(logs, [
      `info spawned: 'web' with pid ${p.pid}`,
      'info success: web entered RUNNING state, process has stayed up for > than 2 seconds (startsecs)',
    ]);
  });

  it('gives the child SUPERVISOR_* variables, then the program environment on top', () => {
    const { p, spawner } = setupProcess({ environment: { A: '1', SUPERVISOR_ENABLED: 'x' }, group: 'g' });
    p.dispatch({ type: 'start' });
    const env = spawner.last.request.env;
    assert.equal(env.HOME, '/root');
    assert.equal(env.SUPERVISOR_PROCESS_NAME, 'web');
    assert.equal(env.SUPERVISOR_GROUP_NAME, 'g');
    assert.equal(env.A, '1');
    assert.equal(env.SUPERVISOR_ENABLED, 'x', 'the program environment wins, as in supervisord');
    assert.equal(env.SUPERVISOR_SERVER_URL, undefined, 'AUTO without a server leaves it unset');
  });

  it('sets SUPERVISOR_SERVER_URL from serverurl, from AUTO, or not at all for an empty serverurl', () => {
    const url = (serverurl: string | null) => {
      const { p, spawner } = setupProcess({ serverurl }, { autoServerUrl: 'unix:///run/t.sock' });
      p.dispatch({ type: 'start' });
      return spawner.last.request.env.SUPERVISOR_SERVER_URL;
    };
    assert.equal(url(null), 'unix:///run/t.sock');
    assert.equal(url('http://other:9001'), 'http://other:9001');
    assert.equal(url(''), undefined);
  });

  it('startsecs=0 goes RUNNING on the next timer tick', () => {
    const { p, clock } = setupProcess({ startsecs: 0 });
    p.dispatch({ type: 'start' });
    assert.equal(p.state, 'STARTING');
    clock.advance(0);
    assert.equal(p.state, 'RUNNING');
  });

  it('an exit inside startsecs backs off 1 s, 2 s, 3 s, then gives up (1 + startretries attempts)', () => {
    const { p, clock, spawner, transitions, logs } = setupProcess({ startretries: 3 });
    p.dispatch({ type: 'start' });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      clock.advance(100);
      spawner.last.exit(1);
      if (attempt === 4) break;
      assert.equal(p.state, 'BACKOFF');
      assert.equal(p.spawnerr, 'Exited too quickly (process log may have details)');
      assert.equal(p.exitstatus, null);
      const before = clock.now();
      const spawned = spawner.children.length;
      while (spawner.children.length === spawned) clock.advance(100);
      delays.push(clock.now() - before);
    }
    assert.deepEqual(delays, [1000, 2000, 3000]);
    assert.equal(p.state, 'FATAL');
    assert.equal(spawner.children.length, 4);
    assert.equal(transitions.at(-2), 'STARTING>BACKOFF');
    assert.equal(transitions.at(-1), 'BACKOFF>FATAL');
    assert.ok(logs.includes('warn exited: web (exit status 1; not expected)'));
    assert.equal(logs.at(-1), 'info gave up: web entered FATAL state, too many start retries too quickly');
  });

  it('an exit after startsecs elapsed counts as a run even if the RUNNING timer has not fired', () => {
    const { p, spawner, clock, transitions } = setupProcess({ startsecs: 1, autorestart: false });
    p.dispatch({ type: 'start' });
    clock.jump(1500);
    spawner.last.exit(0);
    assert.equal(p.state, 'EXITED');
    assert.deepEqual(transitions, ['STOPPED>STARTING', 'STARTING>RUNNING', 'RUNNING>EXITED']);
  });

  it('a missing command is a spawn error: STARTING → BACKOFF with supervisord text', () => {
    const { p, transitions, logs } = setupProcess({
      argv: ['/nonexistent/cmd'],
      command: '/nonexistent/cmd',
    });
    p.dispatch({ type: 'start' });
    assert.equal(p.state, 'BACKOFF');
    assert.equal(p.spawnerr, "can't find command '/nonexistent/cmd'");
    assert.deepEqual(transitions, ['STOPPED>STARTING', 'STARTING>BACKOFF']);
    assert.equal(logs[0], "info spawnerr: can't find command '/nonexistent/cmd'");
  });

  it('a command that cannot be split by shlex is reported at spawn, as supervisord does', () => {
    const { p } = setupProcess({ argv: [], command: 'echo "unbalanced' });
    p.dispatch({ type: 'start' });
    assert.equal(p.spawnerr, `can't parse command 'echo "unbalanced': No closing quotation`);
  });

  it('a refused fork backs off with the error text', () => {
    const { p, spawner } = setupProcess();
    spawner.failNext(new SpawnFailure("Too many processes in process table to spawn 'web'", 'EAGAIN'));
    p.dispatch({ type: 'start' });
    assert.equal(p.state, 'BACKOFF');
    assert.equal(p.spawnerr, "Too many processes in process table to spawn 'web'");
  });

  it('a spawn that fails late (Node reports EMFILE asynchronously) backs off too', () => {
    const { p, spawner } = setupProcess();
    spawner.failNext('late');
    p.dispatch({ type: 'start' });
    assert.equal(p.state, 'STARTING');
    spawner.last.failLate('EMFILE');
    assert.equal(p.state, 'BACKOFF');
    assert.equal(p.spawnerr, "too many open files to spawn 'web'");
  });

  it('a spawner that returns before the exec: a process is not RUNNING before its program runs', () => {
    const { p, clock, spawner, transitions } = setupProcess({ startsecs: 0 });
    spawner.deferExec = true;
    p.dispatch({ type: 'start' });
    clock.advance(50);
    assert.equal(p.state, 'STARTING');
    spawner.lastDeferred.execed();
    clock.advance(1);
    assert.equal(p.state, 'RUNNING');
    assert.deepEqual(transitions, ['STOPPED>STARTING', 'STARTING>RUNNING']);
  });

  it('a chdir that fails after the spawn returned is a failed start with the step, as if it threw', () => {
    const { p, clock, spawner, transitions } = setupProcess({
      startsecs: 0,
      startretries: 1,
      directory: '/gone',
    });
    spawner.deferExec = true;
    p.dispatch({ type: 'start' });
    clock.advance(5);
    spawner.last.failSetup('ENOENT', 'chdir');
    assert.equal(p.state, 'BACKOFF');
    assert.equal(p.spawnerr, "couldn't chdir to /gone: ENOENT");
    assert.equal(p.pid, 0);
    clock.advance(1000);
    spawner.last.failSetup('ENOENT', 'chdir');
    assert.equal(p.state, 'FATAL');
    assert.deepEqual(transitions, [
      'STOPPED>STARTING',
      'STARTING>BACKOFF',
      'BACKOFF>STARTING',
      'STARTING>BACKOFF',
      'BACKOFF>FATAL',
    ]);
  });

  it('a set-up failure after a stop ends the stop', () => {
    const { p, spawner } = setupProcess({ startsecs: 0 });
    spawner.deferExec = true;
    p.dispatch({ type: 'start' });
    p.dispatch({ type: 'stop' });
    assert.equal(p.state, 'STOPPING');
    spawner.last.failSetup('EACCES', 'execve');
    assert.equal(p.state, 'STOPPED');
  });

  it('a manual start after FATAL gets the full number of retries again', () => {
    const { p, clock, spawner } = setupProcess({ startretries: 0 });
    p.dispatch({ type: 'start' });
    spawner.last.exit(1);
    assert.equal(p.state, 'FATAL');
    p.dispatch({ type: 'start' });
    assert.equal(p.state, 'STARTING');
    clock.advance(1000);
    assert.equal(p.state, 'RUNNING');
  });
});

describe('process lifecycle: exits while running', () => {
  const running = (overrides: Partial<ProcessConfig> = {}, autoRestart = true) => {
    const s = setupProcess(overrides, { autoRestart });
    s.p.dispatch({ type: 'start' });
    s.clock.advance(1000);
    assert.equal(s.p.state, 'RUNNING');
    return s;
  };

  const cases: [string, Partial<ProcessConfig>, number | null, string | null, ProcessState, boolean][] = [
    ['unexpected exit, autorestart=unexpected: restarts', {}, 3, null, 'STARTING', true],
    ['expected exit, autorestart=unexpected: stays EXITED', {}, 0, null, 'EXITED', false],
    ['exitcodes list decides what is expected', { exitcodes: [0, 2] }, 2, null, 'EXITED', false],
    ['autorestart=true restarts an expected exit', { autorestart: true }, 0, null, 'STARTING', true],
    ['autorestart=false never restarts', { autorestart: false }, 1, null, 'EXITED', false],
    [
      'death by signal is never expected (exitstatus -1)',
      { exitcodes: [0, 255] },
      null,
      'SIGSEGV',
      'STARTING',
      true,
    ],
  ];
  for (const [title, overrides, code, signal, state, restarted] of cases) {
    it(title, () => {
      const { p, spawner } = running(overrides);
      spawner.last.exit(code, signal as NodeJS.Signals | null);
      assert.equal(p.state, state);
      assert.equal(spawner.children.length, restarted ? 2 : 1);
    });
  }

  it('records exitstatus and spawnerr the way getProcessInfo shows them', () => {
    const { p, spawner, logs, transitions } = running({ autorestart: false });
    spawner.last.exit(3);
    assert.equal(p.exitstatus, 3);
    assert.equal(p.spawnerr, 'Bad exit code 3');
    assert.equal(p.pid, 0);
    assert.equal(logs.at(-1), 'warn exited: web (exit status 3; not expected)');
    assert.equal(transitions.at(-1), 'RUNNING>EXITED');
  });

  it('does not restart while the daemon is shutting down', () => {
    const { p, spawner } = running({ autorestart: true }, false);
    spawner.last.exit(1);
    assert.equal(p.state, 'EXITED');
    assert.equal(spawner.children.length, 1);
  });
});

describe('process lifecycle: stopping', () => {
  it('sends stopsignal, then SIGKILL after stopwaitsecs, re-sent every stopwaitsecs', () => {
    const { p, clock, spawner, logs } = setupProcess({ stopsignal: 'INT', stopwaitsecs: 5 });
    p.dispatch({ type: 'start' });
    clock.advance(1000);
    const pid = p.pid;
    p.dispatch({ type: 'stop' });
    assert.equal(p.state, 'STOPPING');
    assert.deepEqual(spawner.signals, [{ pid, signal: 'INT', group: false }]);
    clock.advance(5000);
    clock.advance(5000);
    assert.deepEqual(
      spawner.signals.map((s) => s.signal),
      ['INT', 'KILL', 'KILL'],
    );
    assert.ok(logs.includes(`warn killing 'web' (${pid}) with SIGKILL`));
    spawner.last.exit(null, 'SIGKILL');
    assert.equal(p.state, 'STOPPED');
    assert.equal(p.exitstatus, -1);
    assert.equal(logs.at(-1), 'warn stopped: web (terminated by SIGKILL)');
    assert.equal(clock.pendingTimers, 0);
  });

  it('stopasgroup signals the group, killasgroup the SIGKILL', () => {
    const { p, clock, spawner } = setupProcess({ stopasgroup: true, killasgroup: true, stopwaitsecs: 1 });
    p.dispatch({ type: 'start' });
    p.dispatch({ type: 'stop' });
    clock.advance(1000);
    assert.deepEqual(
      spawner.signals.map((s) => s.group),
      [true, true],
    );
  });

  it('a stop during STARTING stops it without ever reaching RUNNING', () => {
    const { p, clock, spawner, transitions } = setupProcess({ startsecs: 10 });
    p.dispatch({ type: 'start' });
    p.dispatch({ type: 'stop' });
    spawner.last.exit(0);
    clock.advance(20_000);
    assert.equal(p.state, 'STOPPED');
    assert.deepEqual(transitions, ['STOPPED>STARTING', 'STARTING>STOPPING', 'STOPPING>STOPPED']);
  });

  it('a stop in BACKOFF cancels the retry: BACKOFF → STOPPED', () => {
    const { p, clock, spawner } = setupProcess();
    p.dispatch({ type: 'start' });
    spawner.last.exit(1);
    p.dispatch({ type: 'stop' });
    assert.equal(p.state, 'STOPPED');
    clock.advance(60_000);
    assert.equal(spawner.children.length, 1);
  });

  it('a stop while a late spawn failure is pending stops cleanly and ignores the error', () => {
    const { p, spawner } = setupProcess();
    spawner.failNext('late');
    p.dispatch({ type: 'start' });
    p.dispatch({ type: 'stop' });
    assert.equal(p.state, 'STOPPED');
    spawner.last.failLate('EAGAIN');
    assert.equal(p.state, 'STOPPED');
  });

  it('a kill that fails for a reason other than ESRCH leaves the process UNKNOWN', () => {
    const { p, spawner, logs } = setupProcess();
    p.dispatch({ type: 'start' });
    spawner.killError = Object.assign(new Error('EPERM'), { code: 'EPERM' });
    p.dispatch({ type: 'stop' });
    assert.equal(p.state, 'UNKNOWN');
    assert.match(logs.at(-1) ?? '', /^critical unknown problem killing web/);
    spawner.last.exit(0);
    assert.equal(p.state, 'STOPPED');
  });

  it('an exit expected by exitcodes is logged at info, otherwise warn', () => {
    const { p, spawner, logs } = setupProcess({ exitcodes: [0, 143] });
    p.dispatch({ type: 'start' });
    p.dispatch({ type: 'stop' });
    spawner.last.exit(143);
    assert.equal(logs.at(-1), 'info stopped: web (exit status 143)');
  });
});

describe('transition table', () => {
  it('defines a row for every state', () => {
    assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...PROCESS_STATE_NAMES].sort());
  });

  it('raises InvalidTransition for an event the table does not allow', () => {
    const { p } = setupProcess();
    assert.throws(() => {
      p.dispatch({ type: 'ready' });
    }, InvalidTransition);
    assert.throws(() => {
      p.dispatch({ type: 'killTimeout' });
    }, /event 'killTimeout' in state STOPPED/);
  });

  it('drops events from an old child instead of applying them to the new one', () => {
    const { p, clock, spawner } = setupProcess({ autorestart: true });
    p.dispatch({ type: 'start' });
    clock.advance(1000);
    const first = spawner.last;
    first.exit(1);
    const second = spawner.last;
    assert.notEqual(first, second);
    first.exit(1);
    assert.equal(p.state, 'STARTING');
    assert.equal(p.pid, second.pid);
  });
});
