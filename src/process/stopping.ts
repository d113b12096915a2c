import { decodeExit } from './exit-status.js';
import type { AfterStop, ManagedProcess } from './managed-process.js';
import { isExpectedExit } from './policy.js';
import { pyRepr } from './pyrepr.js';
import { enterBackoff, scheduleRestart } from './restart.js';
import type { LifecycleEvent } from './transitions.js';

// The stopping half of the lifecycle: stop requests, and the stops tend decides itself (not ready
// in time, unhealthy, watchdog). A stop of tend's own makes the whole process group go, as
// systemd stops a unit, and its exit leads where AfterStop says instead of STOPPED.

export type Action = (p: ManagedProcess, event: LifecycleEvent) => void;

// Sends a signal; an error other than "already gone" leaves the process in UNKNOWN, as
// supervisord's kill() does, because tend no longer knows whether it is alive.
const sendSignal = (p: ManagedProcess, signal: string, group: boolean): boolean => {
  try {
    p.deps.spawner.kill(p.pid, signal, group);
    return true;
  } catch (error) {
    p.deps.log('critical', `unknown problem killing ${p.config.name} (${p.pid}):${String(error)}`, {
      program: p.namespec,
    });
    p.enter('UNKNOWN');
    return false;
  }
};

const signalStop = (p: ManagedProcess, asGroup: boolean): void => {
  p.enter('STOPPING');
  const { stopsignal, stopwaitsecs } = p.config;
  p.deps.log(
    'debug',
    `killing ${p.config.name} (pid ${p.pid}) ${asGroup ? 'process group ' : ''}with signal SIG${stopsignal}`,
    { program: p.namespec },
  );
  if (sendSignal(p, stopsignal, asGroup)) p.arm(stopwaitsecs * 1000, { type: 'killTimeout' });
};

export const beginStop: Action = (p) => {
  p.afterStop = null;
  if (p.pid === 0) {
    // The spawn is failing asynchronously: nothing to signal, and its error is now irrelevant.
    p.generation += 1;
    p.detachChild();
    p.enter('STOPPED');
    return;
  }
  p.killAsGroup = p.config.killasgroup;
  signalStop(p, p.config.stopasgroup);
};

const stopFor = (p: ManagedProcess, after: AfterStop): void => {
  p.deps.log(
    'warn',
    `${after.kind === 'restart' ? 'restarting' : 'stopping'} ${p.config.name}: ${after.reason}`,
    {
      program: p.namespec,
      pid: p.pid,
    },
  );
  if (p.pid === 0) {
    p.generation += 1;
    p.detachChild();
    p.spawnerr = after.reason;
    enterBackoff(p);
    return;
  }
  p.afterStop = after;
  p.killAsGroup = true;
  signalStop(p, true);
};

const secs = (s: number): string => `${Number(s.toFixed(3))}s`;

export const stopNotReady: Action = (p, event) => {
  const reason =
    event.type === 'unhealthy'
      ? event.reason
      : `not ready after ${secs(p.config.readyTimeout)} (ready = ${p.config.ready.text})`;
  stopFor(p, { kind: 'failStart', reason });
};

export const stopForRestart: Action = (p, event) => {
  if (event.type === 'unhealthy' || event.type === 'policyRestart')
    stopFor(p, { kind: 'restart', reason: event.reason, cause: event.cause });
  else {
    const reason = `watchdog: no WATCHDOG=1 within ${secs(p.watchdogMs / 1000)}`;
    stopFor(p, { kind: 'restart', reason, cause: 'watchdog' });
  }
};

/** A stop request while tend was already stopping the process: it stays stopped. */
export const keepStopping: Action = (p) => {
  p.afterStop = null;
};

export const escalateKill: Action = (p) => {
  p.deps.log('warn', `killing ${pyRepr(p.config.name)} (${p.pid}) with SIGKILL`, { program: p.namespec });
  if (sendSignal(p, 'KILL', p.killAsGroup)) p.arm(p.config.stopwaitsecs * 1000, { type: 'killTimeout' });
};

const exitOf = (event: LifecycleEvent) => {
  if (event.type !== 'exit') throw new TypeError(`expected an exit event, got ${event.type}`);
  return event.exit;
};

const reapForRestart = (
  p: ManagedProcess,
  after: Extract<AfterStop, { kind: 'restart' }>,
  status: number,
  message: string,
): void => {
  const pid = p.pid;
  p.exitstatus = status;
  p.spawnerr = after.reason;
  p.lastRestart = { reason: after.reason, time: p.laststop };
  p.enter('EXITED', false);
  p.deps.log('warn', `exited: ${p.config.name} (${message}; restarting: ${after.reason})`, {
    program: p.namespec,
  });
  p.detachChild();
  if (p.deps.autoRestartAllowed()) scheduleRestart(p, { reason: after.cause, detail: after.reason, pid });
};

export const reapStopped: Action = (p, event) => {
  const { status, message } = decodeExit(exitOf(event));
  const after = p.afterStop;
  p.afterStop = null;
  p.laststop = p.deps.clock.now();
  if (after?.kind === 'restart') {
    reapForRestart(p, after, status, message);
    return;
  }
  if (after?.kind === 'failStart') {
    p.exitstatus = null;
    p.spawnerr = after.reason;
    p.deps.log('info', `spawnerr: ${after.reason}`, { program: p.namespec });
    p.detachChild();
    enterBackoff(p);
    return;
  }
  p.exitstatus = status;
  const expected = isExpectedExit(status, p.config.exitcodes);
  p.enter('STOPPED', expected);
  p.deps.log(expected ? 'info' : 'warn', `stopped: ${p.config.name} (${message})`, { program: p.namespec });
  p.detachChild();
};
