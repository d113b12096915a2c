import { isTendError } from '../errors/index.js';
import { decodeExit } from './exit-status.js';
import type { ManagedProcess } from './managed-process.js';
import { isExpectedExit, isStartFailure, shouldRestart } from './policy.js';
import { pyRepr } from './pyrepr.js';
import { buildRequest } from './request.js';
import { spawnErrorMessage, type SpawnErrorSubject } from './spawn-errors.js';
import { enterBackoff, scheduleRestart } from './restart.js';
import { SpawnFailure, type ChildExit } from './spawner.js';
import {
  beginStop,
  escalateKill,
  keepStopping,
  reapStopped,
  stopForRestart,
  stopNotReady,
  type Action,
} from './stopping.js';
import type { ActionName, LifecycleEvent } from './transitions.js';

// The named actions of the transition table. Log lines use supervisord's exact wording
// (process.py), because operators and tools grep for them.

const EXITED_TOO_QUICKLY = 'Exited too quickly (process log may have details)';

const failStart = (p: ManagedProcess, message: string): void => {
  p.spawnerr = message;
  p.deps.log('info', `spawnerr: ${message}`, { program: p.namespec });
  enterBackoff(p);
};

const errorSubject = (p: ManagedProcess): SpawnErrorSubject => ({
  name: p.config.name,
  argv0: p.config.argv[0] ?? '',
  cwd: p.config.directory,
  uid: p.config.user?.uid ?? null,
});

const spawnFailureMessage = (p: ManagedProcess, error: unknown): string => {
  if (error instanceof SpawnFailure && error.step !== undefined) {
    return spawnErrorMessage(error.errno ?? 'UNKNOWN', error.step, errorSubject(p));
  }
  if (isTendError(error) || error instanceof SpawnFailure) return error.message;
  return `unknown error during fork for ${pyRepr(p.config.name)}: ${String(error)}`;
};

// STARTING ends with `ready`: from the startsecs timer, or from the readiness source, which may
// take up to ready_timeout.
const armReadiness = (p: ManagedProcess): void => {
  const { ready, startsecs, readyTimeout } = p.config;
  if (ready.kind === 'startsecs') p.arm(startsecs * 1000, { type: 'ready' });
  else if (readyTimeout > 0) p.arm(readyTimeout * 1000, { type: 'readyTimeout' });
};

const spawn: Action = (p) => {
  const { config, deps } = p;
  p.generation += 1;
  p.laststart = deps.clock.now();
  p.startedMono = deps.clock.monotonic();
  p.runningSinceMono = 0;
  p.spawnerr = '';
  p.exitstatus = null;
  p.afterStop = null;
  p.watchdogMs = config.watchdogSec * 1000;
  p.enter('STARTING');
  let child;
  try {
    child = deps.spawner.spawn(buildRequest(p));
  } catch (error) {
    failStart(p, spawnFailureMessage(p, error));
    return;
  }
  const generation = p.generation;
  p.child = child;
  p.pid = child.pid;
  child.onExit((exit) => {
    p.deliver(generation, { type: 'exit', exit });
  });
  child.onSpawnError((errno) => {
    p.deliver(generation, { type: 'spawnError', errno });
  });
  if (child.pid === 0) return;
  deps.log('info', `spawned: ${pyRepr(config.name)} with pid ${child.pid}`, {
    program: p.namespec,
    pid: child.pid,
  });
  deps.onSpawn(p, child);
  armReadiness(p);
};

/** A start by request (not a retry): the retry counters, the flap guard and the streak start over. */
const spawnFresh: Action = (p, event) => {
  p.backoff = 0;
  p.restartStreak = 0;
  p.restartTimes = [];
  p.lastRestart = null;
  spawn(p, event);
};

/** A start nobody asked for: a retry out of BACKOFF, a restart out of EXITED. */
const respawn: Action = (p, event) => {
  p.history.restarts += 1;
  spawn(p, event);
};

// When a ready process whose child has not exec'd yet is looked at again (see becomeRunning):
// soon at first (a set-up takes well under a millisecond), then seldom (a chdir hung on NFS).
const setupRecheckMs = (p: ManagedProcess): number =>
  p.deps.clock.monotonic() - p.startedMono < 100 ? 1 : 50;

const becomeRunning: Action = (p, event) => {
  const { config, deps } = p;
  // The native spawner returns before the child has exec'd: a process is not RUNNING before its
  // program runs (startsecs=0 would otherwise be RUNNING while a failing chdir is under way), so
  // the startsecs timer is looked at again shortly. Other ready sources come from the program.
  if (event.type === 'ready' && config.ready.kind === 'startsecs' && p.child?.settingUp?.() === true) {
    p.arm(setupRecheckMs(p), { type: 'ready' });
    return;
  }
  p.backoff = 0;
  p.runningSince = deps.clock.now();
  p.runningSinceMono = deps.clock.monotonic();
  p.enter('RUNNING');
  p.publish({
    type: 'PROCESS_READY',
    pid: p.pid,
    via: config.ready.kind,
    ready: config.ready.text,
    startupMs: p.runningSinceMono - p.startedMono,
  });
  const why =
    config.ready.kind === 'startsecs'
      ? `process has stayed up for > than ${config.startsecs} seconds (startsecs)`
      : `process is ready (ready = ${config.ready.text})`;
  deps.log('info', `success: ${config.name} entered RUNNING state, ${why}`, {
    program: p.namespec,
    pid: p.pid,
  });
  if (p.watchdogMs > 0) p.arm(p.watchdogMs, { type: 'watchdogExpired' });
};

const rearmWatchdog: Action = (p, event) => {
  if (event.type === 'watchdogPing' && event.usec !== undefined) p.watchdogMs = event.usec / 1000;
  if (p.watchdogMs > 0) p.arm(p.watchdogMs, { type: 'watchdogExpired' });
  else p.cancelTimer();
};

const extendTimeout: Action = (p, event) => {
  if (event.type === 'extendTimeout') p.extendTimer(event.ms, ['readyTimeout', 'killTimeout']);
};

const exitOf = (event: LifecycleEvent): ChildExit => {
  if (event.type !== 'exit') throw new TypeError(`expected an exit event, got ${event.type}`);
  return event.exit;
};

const exitDuringStart: Action = (p, event) => {
  const elapsed = p.deps.clock.monotonic() - p.startedMono;
  const failedSetup = event.type === 'exit' && event.exit.spawnFailure !== undefined;
  if (!failedSetup && !isStartFailure(elapsed, p.config.startsecs, p.config.ready)) {
    becomeRunning(p, event);
    exitWhileRunning(p, event);
    return;
  }
  const exit = exitOf(event);
  if (exit.spawnFailure !== undefined) {
    // The child never ran its program: the same failed start as a spawn that throws.
    p.detachChild();
    failStart(p, spawnErrorMessage(exit.spawnFailure.errno, exit.spawnFailure.step, errorSubject(p)));
    return;
  }
  const { message } = decodeExit(exit);
  p.laststop = p.deps.clock.now();
  p.exitstatus = null;
  p.spawnerr = EXITED_TOO_QUICKLY;
  p.deps.log('warn', `exited: ${p.config.name} (${message}; not expected)`, { program: p.namespec });
  p.detachChild();
  enterBackoff(p);
};

const exitWhileRunning: Action = (p, event) => {
  const { status, message } = decodeExit(exitOf(event));
  const pid = p.pid;
  p.laststop = p.deps.clock.now();
  p.backoff = 0;
  p.exitstatus = status;
  const expected = isExpectedExit(status, p.config.exitcodes);
  if (!expected) p.spawnerr = `Bad exit code ${status}`;
  p.enter('EXITED', expected);
  p.deps.log(
    expected ? 'info' : 'warn',
    `exited: ${p.config.name} (${message}; ${expected ? '' : 'not '}expected)`,
    { program: p.namespec },
  );
  p.detachChild();
  if (shouldRestart(p.config.autorestart, expected) && p.deps.autoRestartAllowed()) {
    scheduleRestart(p, { reason: 'crash', detail: `${message}; ${expected ? '' : 'not '}expected`, pid });
  }
};

const spawnFailedLate: Action = (p, event) => {
  const errno = event.type === 'spawnError' ? event.errno : 'UNKNOWN';
  p.detachChild();
  failStart(p, spawnErrorMessage(errno, 'spawn', errorSubject(p)));
};

const failDependency: Action = (p, event) => {
  p.spawnerr = event.type === 'dependencyFailed' ? event.reason : 'a dependency failed';
  p.enter('FATAL');
  p.deps.log('warn', `gave up: ${p.config.name} entered FATAL state, ${p.spawnerr}`, { program: p.namespec });
};

const toStopped: Action = (p) => {
  p.enter('STOPPED');
};

export const ACTIONS: Readonly<Record<ActionName, Action>> = {
  spawn: respawn,
  spawnFresh,
  becomeRunning,
  exitDuringStart,
  exitWhileRunning,
  spawnFailedLate,
  stopNotReady,
  stopForRestart,
  rearmWatchdog,
  extendTimeout,
  beginStop,
  keepStopping,
  escalateKill,
  reapStopped,
  cancelBackoff: toStopped,
  cancelRestart: toStopped,
  failDependency,
  ignore: () => undefined,
};
