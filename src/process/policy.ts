import type { AutoRestart, BackoffConfig, ReadySpec } from '../config/types.js';

// Pure decisions of the lifecycle: whether an exit was expected, whether to restart, how long to
// back off, when a run of restarts is a crash loop and when to give up. No state, no clock: the
// transition actions feed them numbers.

export const isExpectedExit = (status: number, exitcodes: readonly number[]): boolean =>
  exitcodes.includes(status);

/** supervisord's autorestart: true restarts always, false never, unexpected on a bad exit code. */
export const shouldRestart = (autorestart: AutoRestart, expected: boolean): boolean =>
  autorestart === 'unexpected' ? !expected : autorestart;

/**
 * Whether an exit during STARTING means the start failed. With startsecs readiness this is
 * time-based, as in supervisord's finish(): a process that lived startsecs or longer ran
 * successfully even if the RUNNING timer had not fired yet (startsecs=0 never fails). With any
 * other readiness, a process that exits before it is ready has failed to start.
 */
export const isStartFailure = (elapsedMs: number, startsecs: number, ready: ReadySpec): boolean =>
  ready.kind !== 'startsecs' || elapsedMs < startsecs * 1000;

const capped = (ms: number, curve: BackoffConfig): number =>
  curve.maxSecs === null ? ms : Math.min(ms, curve.maxSecs * 1000);

/**
 * Delay before the n-th consecutive failed start is retried (BACKOFF). linear is supervisord's
 * n seconds; exponential doubles from 1 s. backoff_max caps both.
 */
export const backoffDelayMs = (tries: number, curve: BackoffConfig): number =>
  capped(curve.kind === 'linear' ? tries * 1000 : 1000 * 2 ** Math.max(0, tries - 1), curve);

/**
 * Delay before the n-th restart in a row out of EXITED. linear restarts at once, as supervisord
 * does; exponential restarts the first at once, then waits 1 s, 2 s, 4 s… up to backoff_max.
 */
export const restartDelayMs = (streak: number, curve: BackoffConfig): number =>
  curve.kind === 'linear' || streak <= 1 ? 0 : capped(1000 * 2 ** (streak - 2), curve);

/** How long a run must last for the next exit to start a new streak (no delay): the longest delay. */
export const streakResetMs = (curve: BackoffConfig): number => (curve.maxSecs ?? 60) * 1000;

/** The restart streak after a run of `uptimeMs` ended in an exit that will be restarted. */
export const nextStreak = (streak: number, uptimeMs: number, curve: BackoffConfig): number =>
  (uptimeMs >= streakResetMs(curve) ? 0 : streak) + 1;

/** Restart times still inside the flap window at `now`. */
export const recentRestarts = (history: readonly number[], now: number, windowSecs: number): number[] =>
  history.filter((t) => now - t < windowSecs * 1000);

/** The flap guard: `limit` restarts are allowed within the window, one more is a crash loop. */
export const isCrashLoop = (recent: number, limit: number): boolean => limit > 0 && recent >= limit;

/** After startretries retries (1 + startretries attempts) the process gives up: FATAL. */
export const retriesExhausted = (tries: number, startretries: number): boolean => tries > startretries;

/**
 * Delay before the n-th restart in a row that tend itself decided on (memory_limit): even with the
 * linear curve it grows (0, 1 s, 2 s…; exponential 0, 1 s, 2 s, 4 s…), because a limit the program
 * exceeds as soon as it starts would otherwise restart it as fast as it can be sampled.
 */
export const policyRestartDelayMs = (streak: number, curve: BackoffConfig): number =>
  streak <= 1 ? 0 : backoffDelayMs(streak - 1, curve);

/** Where one process stands against its memory limit after a sample. */
export interface MemoryVerdict {
  /** Consecutive samples above the limit, this one included. */
  readonly over: number;
  /** Why to restart now (`memory 612 MiB > limit 512 MiB`), or null. */
  readonly restart: string | null;
}

const MIB = 1024 * 1024;

/** MiB for people: whole above 10 MiB, one decimal below (a limit of 1500KB reads 1.5 MiB). */
export const formatMiB = (bytes: number): string => {
  const mib = bytes / MIB;
  return mib >= 10 ? `${Math.round(mib)} MiB` : `${Number(mib.toFixed(1))} MiB`;
};

/**
 * memory_limit: `checks` samples in a row above `limit` restart the process; a sample at or below
 * it starts the count over. A limit of 0 is off.
 */
export const judgeMemory = (
  previousOver: number,
  rssBytes: number,
  limit: { readonly bytes: number; readonly checks: number },
): MemoryVerdict => {
  if (limit.bytes <= 0 || rssBytes <= limit.bytes) return { over: 0, restart: null };
  const over = previousOver + 1;
  if (over < limit.checks) return { over, restart: null };
  return { over: 0, restart: `memory ${formatMiB(rssBytes)} > limit ${formatMiB(limit.bytes)}` };
};
