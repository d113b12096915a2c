import type { RestartReason } from '../events/index.js';
import type { ManagedProcess } from './managed-process.js';
import {
  backoffDelayMs,
  isCrashLoop,
  nextStreak,
  policyRestartDelayMs,
  recentRestarts,
  restartDelayMs,
  retriesExhausted,
} from './policy.js';

// Automatic restarts: after a failed start (BACKOFF, supervisord's retries) and after an exit
// from RUNNING (EXITED). Both pass the flap guard first; the delays come from policy.ts, and then
// from the daemon-wide restart budget (restart-budget.ts), which only ever adds to them.

/** The policy's delay, lengthened when the daemon-wide restart budget is spent. */
const withBudget = (p: ManagedProcess, delayMs: number): number => {
  const budget = p.deps.restartBudget;
  if (budget === undefined) return delayMs;
  const now = p.deps.clock.monotonic();
  const extra = budget.take(now + delayMs);
  if (extra > 0 && budget.shouldWarn(now)) {
    const { rate, burst } = budget.config;
    p.deps.log(
      'warn',
      `more than ${burst} automatic restarts at once: spacing them to ${rate} a second (autorestart_rate, autorestart_burst)`,
      { program: p.namespec },
    );
  }
  return delayMs + extra;
};

const giveUp = (p: ManagedProcess, why: string): void => {
  p.enter('FATAL');
  p.deps.log('info', `gave up: ${p.config.name} entered FATAL state, ${why}`, { program: p.namespec });
};

/**
 * The flap guard: restart_limit automatic restarts within restart_window, then FATAL, however
 * long the process ran before the loop began. Records the restart when it is allowed.
 */
const crashLoop = (p: ManagedProcess): boolean => {
  const { restartLimit: limit, restartWindow: window } = p.config;
  const now = p.deps.clock.monotonic();
  p.restartTimes = recentRestarts(p.restartTimes, now, window);
  if (!isCrashLoop(p.restartTimes.length, limit)) {
    if (limit > 0) p.restartTimes.push(now);
    return false;
  }
  p.spawnerr = `crash loop: ${p.restartTimes.length} restarts within ${window}s (restart_limit = ${limit}, restart_window = ${window})`;
  p.publish({ type: 'PROCESS_FLAP_GUARD', restarts: p.restartTimes.length, limit, windowSecs: window });
  p.backoff = 0;
  p.restartTimes = [];
  giveUp(p, p.spawnerr);
  return true;
};

/** A failed start: BACKOFF, then a retry after the backoff delay, or FATAL. */
export const enterBackoff = (p: ManagedProcess): void => {
  p.backoff += 1;
  p.enter('BACKOFF');
  if (retriesExhausted(p.backoff, p.config.startretries)) {
    p.backoff = 0;
    giveUp(p, 'too many start retries too quickly');
    return;
  }
  if (crashLoop(p)) return;
  p.arm(withBudget(p, backoffDelayMs(p.backoff, p.config.backoff)), { type: 'retry' });
};

/** Why an EXITED process comes back, for its PROCESS_RESTART event. */
export interface RestartCause {
  readonly reason: RestartReason;
  readonly detail: string;
  /** The pid that exited. */
  readonly pid: number;
}

/**
 * An EXITED process that is to come back: at once, or after the restart delay. A cron restart was
 * asked for, like an operator's: it comes back at once and counts for neither the streak nor the
 * flap guard.
 */
export const scheduleRestart = (p: ManagedProcess, cause: RestartCause): void => {
  if (cause.reason === 'cron') {
    p.restartStreak = 0;
    p.publish({ type: 'PROCESS_RESTART', ...cause, delayMs: 0 });
    p.dispatch({ type: 'retry' });
    return;
  }
  const now = p.deps.clock.monotonic();
  const uptime = p.runningSinceMono === 0 ? 0 : now - p.runningSinceMono;
  p.restartStreak = nextStreak(p.restartStreak, uptime, p.config.backoff);
  if (crashLoop(p)) return;
  const delay = withBudget(
    p,
    cause.reason === 'memory'
      ? policyRestartDelayMs(p.restartStreak, p.config.backoff)
      : restartDelayMs(p.restartStreak, p.config.backoff),
  );
  p.publish({ type: 'PROCESS_RESTART', ...cause, delayMs: delay });
  if (delay === 0) p.dispatch({ type: 'retry' });
  else p.arm(delay, { type: 'retry' });
};
