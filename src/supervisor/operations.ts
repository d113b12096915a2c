import { existsSync } from 'node:fs';
import { TendError, toTendError } from '../errors/index.js';
import type { StreamName } from '../logs/index.js';
import { readLogRange, tailLog, type TailResult } from '../logs/index.js';
import { RUNNING_STATES, SIGNALLABLE_STATES, parseSignal, type ManagedProcess } from '../process/index.js';
import type { OperationResult } from './results.js';
import type { Supervisor, Target } from './supervisor.js';
import { dependenciesOf, startOrder, stopWaves } from './dependencies.js';
import { started, stopped, waitFor, type Verdict } from './wait.js';

// Start, stop, signal and log operations with supervisord's semantics (rpcinterface.py): the same
// preconditions, fault codes and per-process results for groups. A namespec that names a group
// (`g:*`) returns one result per process the operation applied to; a single process either
// succeeds or throws.

const isRunning = (p: ManagedProcess): boolean => RUNNING_STATES.has(p.state);
/** An EXITED process waiting for a delayed restart can be stopped: that cancels the restart. */
const isStoppable = (p: ManagedProcess): boolean =>
  isRunning(p) || (p.state === 'EXITED' && p.hasPendingTimer);
/** ... and so can a start held for its dependencies: that cancels the start. */
const stoppable =
  (sup: Supervisor) =>
  (p: ManagedProcess): boolean =>
    isStoppable(p) || sup.gate.isWaiting(p);

export const settle = async (target: Target, work: Promise<unknown>): Promise<OperationResult> => {
  const { name, group } = target.entry.proc.config;
  try {
    await work;
    return { name, group, error: null };
  } catch (error) {
    return { name, group, error: toTendError(error) };
  }
};

/** Runs `op` on every target that passes `applies`, all at once, and reports each outcome. */
const forEach = async (
  targets: readonly Target[],
  applies: (p: ManagedProcess) => boolean,
  op: (t: Target) => Promise<void>,
): Promise<OperationResult[]> => {
  const selected = targets.filter((t) => applies(t.entry.proc));
  return Promise.all(selected.map((t) => settle(t, op(t))));
};

/** Started, or held by the start gate until its dependencies are RUNNING. */
const startedOrHeld =
  (sup: Supervisor, target: Target) =>
  (p: ManagedProcess): Verdict =>
    sup.gate.isWaiting(p) ? 'pending' : started(target.namespec)(p);

export const startTarget = async (sup: Supervisor, target: Target, wait: boolean): Promise<void> => {
  const p = target.entry.proc;
  try {
    p.checkCommand();
  } catch (error) {
    const e = toTendError(error);
    throw new TendError(e.code, e.message, { faultDetail: e.message });
  }
  if (isRunning(p))
    throw new TendError('ALREADY_STARTED', `${target.namespec} is already started`, {
      faultDetail: target.namespec,
    });
  if (p.state === 'UNKNOWN')
    throw new TendError('FAILED', `${target.namespec} is in an unknown process state`);
  if (p.state === 'STOPPING') await waitFor(p, stopped);
  sup.gate.start(target);
  const verdict = startedOrHeld(sup, target)(p);
  if (verdict instanceof TendError && verdict.code === 'SPAWN_ERROR') throw verdict;
  if (wait) await waitFor(p, startedOrHeld(sup, target));
};

export const stopTarget = async (sup: Supervisor, target: Target, wait: boolean): Promise<void> => {
  const p = target.entry.proc;
  if (sup.gate.cancel(p) && !isStoppable(p)) return;
  if (!isStoppable(p))
    throw new TendError('NOT_RUNNING', `${target.namespec} is not running`, { faultDetail: target.namespec });
  p.dispatch({ type: 'stop' });
  if (p.state === 'UNKNOWN')
    throw new TendError('FAILED', `could not signal ${target.namespec}; its state is unknown`);
  if (wait) await waitFor(p, stopped);
};

export const startProcess = async (
  sup: Supervisor,
  namespec: string,
  wait = true,
): Promise<true | OperationResult[]> => {
  sup.assertRunning();
  const { targets, isGroup } = sup.resolve(namespec);
  if (isGroup)
    return forEach(
      startOrder(targets),
      (p) => !isRunning(p),
      (t) => startTarget(sup, t, wait),
    );
  await startTarget(sup, targets[0] as Target, wait);
  return true;
};

export const startAll = (sup: Supervisor, wait = true): Promise<OperationResult[]> => {
  sup.assertRunning();
  return forEach(
    startOrder(sup.targets()),
    (p) => !isRunning(p),
    (t) => startTarget(sup, t, wait),
  );
};

export const stopProcess = async (
  sup: Supervisor,
  namespec: string,
  wait = true,
): Promise<true | OperationResult[]> => {
  sup.assertRunning();
  const { targets, isGroup } = sup.resolve(namespec);
  if (isGroup) return forEach(targets.toReversed(), stoppable(sup), (t) => stopTarget(sup, t, wait));
  await stopTarget(sup, targets[0] as Target, wait);
  return true;
};

/**
 * Stops everything at once, highest priority number first (supervisord signals all together);
 * with depends_on, dependents first: each wave is stopped before the processes it depends on.
 */
export const stopAll = async (sup: Supervisor, wait = true): Promise<OperationResult[]> => {
  sup.assertRunning();
  return stopInWaves(sup, sup.targets(), wait);
};

const stopInWaves = async (
  sup: Supervisor,
  targets: readonly Target[],
  wait: boolean,
): Promise<OperationResult[]> => {
  const all = sup.targets();
  if (!targets.some((t) => dependenciesOf(all, t).length > 0)) {
    return forEach(targets.toReversed(), stoppable(sup), (t) => stopTarget(sup, t, wait));
  }
  const waves = stopWaves(targets, (free) => free.toReversed());
  const run = async (): Promise<OperationResult[]> => {
    const results: OperationResult[] = [];
    for (const wave of waves)
      results.push(...(await forEach(wave, stoppable(sup), (t) => stopTarget(sup, t, true))));
    return results;
  };
  if (wait) return run();
  // Without waiting, the answer is what supervisord gives: every process the stop applies to,
  // accepted; the waves go on after the answer (settle never rejects).
  const accepted = waves.flat().filter((t) => stoppable(sup)(t.entry.proc));
  void run();
  return accepted.map((t) => ({
    name: t.entry.proc.config.name,
    group: t.entry.proc.config.group,
    error: null,
  }));
};

/** tend's server-side restart: stop (and wait), then start; what supervisorctl does client-side. */
export const restartProcess = async (
  sup: Supervisor,
  namespec: string,
  wait = true,
): Promise<OperationResult[]> => {
  sup.assertRunning();
  const { targets } = sup.resolve(namespec);
  return restartTargets(sup, targets, wait);
};

export const restartAll = (sup: Supervisor, wait = true): Promise<OperationResult[]> => {
  sup.assertRunning();
  return restartTargets(sup, sup.targets(), wait);
};

const restartTargets = async (
  sup: Supervisor,
  targets: readonly Target[],
  wait: boolean,
): Promise<OperationResult[]> => {
  for (const { entry } of targets) {
    const p = entry.proc;
    if (!isStoppable(p)) continue;
    p.publish({
      type: 'PROCESS_RESTART',
      pid: p.pid,
      reason: 'operator',
      detail: 'restart requested',
      delayMs: null,
    });
  }
  await stopInWaves(sup, targets, true);
  return forEach(
    startOrder(targets),
    () => true,
    (t) => startTarget(sup, t, wait),
  );
};

const signalTarget = (target: Target, signal: string): Promise<void> => {
  const p = target.entry.proc;
  const name = parseSignal(signal);
  if (name === undefined)
    return Promise.reject(new TendError('BAD_SIGNAL', `bad signal: ${signal}`, { faultDetail: signal }));
  if (!SIGNALLABLE_STATES.has(p.state)) {
    return Promise.reject(
      new TendError('NOT_RUNNING', `${target.namespec} is not running`, { faultDetail: target.namespec }),
    );
  }
  try {
    p.signal(name);
  } catch (error) {
    return Promise.reject(
      new TendError('FAILED', `could not signal ${target.namespec}: ${String(error)}`, { cause: error }),
    );
  }
  return Promise.resolve();
};

export const signalProcess = async (
  sup: Supervisor,
  namespec: string,
  signal: string,
): Promise<true | OperationResult[]> => {
  sup.assertRunning();
  const { targets, isGroup } = sup.resolve(namespec);
  if (isGroup)
    return forEach(
      targets,
      (p) => SIGNALLABLE_STATES.has(p.state),
      (t) => signalTarget(t, signal),
    );
  await signalTarget(targets[0] as Target, signal);
  return true;
};

export const signalAll = (sup: Supervisor, signal: string): Promise<OperationResult[]> => {
  sup.assertRunning();
  return forEach(
    sup.targets(),
    (p) => SIGNALLABLE_STATES.has(p.state),
    (t) => signalTarget(t, signal),
  );
};

/** The daemon is up (at start-up, after a restart): SUPERVISOR_STATE_CHANGE_RUNNING, then autostart. */
export const beginRunning = (sup: Supervisor): void => {
  sup.setState('RUNNING');
  sup.ticks.start();
  startAutostart(sup);
};

/**
 * Spawns every autostart process that has never been started, in priority order; one with
 * depends_on is held until its dependencies are RUNNING.
 */
export const startAutostart = (sup: Supervisor): void => {
  for (const target of sup.targets()) {
    const p = target.entry.proc;
    if (p.config.autostart && p.laststart === 0 && p.state === 'STOPPED') sup.gate.start(target);
  }
};

// ---- logs ----------------------------------------------------------------------------------

const logFile = (sup: Supervisor, namespec: string, stream: StreamName): string => {
  const channel = sup.target(namespec).entry[stream];
  sup.queue.flushAll();
  if (channel.path === null || !existsSync(channel.path)) {
    throw new TendError('NO_FILE', `${namespec} has no ${stream} log file`, {
      faultDetail: channel.path ?? '',
    });
  }
  return channel.path;
};

export const readProcessLog = (
  sup: Supervisor,
  namespec: string,
  stream: StreamName,
  offset: number,
  length: number,
): Buffer => readLogRange(logFile(sup, namespec, stream), offset, length);

export const tailProcessLog = (
  sup: Supervisor,
  namespec: string,
  stream: StreamName,
  offset: number,
  length: number,
): TailResult => {
  const channel = sup.target(namespec).entry[stream];
  sup.queue.flushAll();
  if (channel.path === null || !existsSync(channel.path))
    return { bytes: Buffer.alloc(0), offset: 0, overflow: false };
  return tailLog(channel.path, offset, length);
};

export const clearProcessLogs = (sup: Supervisor, namespec: string): void => {
  const { entry } = sup.target(namespec);
  try {
    entry.stdout.clear();
    entry.stderr.clear();
  } catch (error) {
    throw new TendError('FAILED', `could not clear the logs of ${namespec}`, {
      cause: error,
      faultDetail: namespec,
    });
  }
};

/** Writes to the process's stdin (supervisord encodes text as UTF-8). */
export const sendStdin = (sup: Supervisor, namespec: string, data: string | Buffer): Promise<void> => {
  const { entry } = sup.target(namespec);
  const p = entry.proc;
  const stdin = p.child?.stdin;
  if (p.pid === 0 || p.state === 'STOPPING' || stdin === null || stdin === undefined) {
    return Promise.reject(
      new TendError('NOT_RUNNING', `${namespec} is not running`, { faultDetail: namespec }),
    );
  }
  return new Promise((resolve, reject) => {
    stdin.write(data, (error) => {
      if (error === null || error === undefined) resolve();
      else
        reject(
          new TendError('NO_FILE', `the stdin of ${namespec} is closed`, {
            faultDetail: namespec,
            cause: error,
          }),
        );
    });
  });
};
