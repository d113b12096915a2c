import type { AutoRestart } from '../config/types.js';

// Pure decisions of the lifecycle: whether an exit was expected, whether to restart, how long to
// back off and when to give up. No state, no clock: the transition actions feed them numbers.

export const isExpectedExit = (status: number, exitcodes: readonly number[]): boolean =>
  exitcodes.includes(status);

/** supervisord's autorestart: true restarts always, false never, unexpected on a bad exit code. */
export const shouldRestart = (autorestart: AutoRestart, expected: boolean): boolean =>
  autorestart === 'unexpected' ? !expected : autorestart;

/**
 * Whether an exit during STARTING means the start failed. With startsecs readiness this is
 * time-based, as in supervisord's finish(): a process that lived startsecs or longer ran
 * successfully even if the RUNNING timer had not fired yet (startsecs=0 never fails).
 */
export const isStartFailure = (elapsedMs: number, startsecs: number): boolean => elapsedMs < startsecs * 1000;

/** supervisord's linear backoff: the n-th consecutive failed start waits n seconds. */
export const backoffDelayMs = (tries: number): number => tries * 1000;

/** After startretries retries (1 + startretries attempts) the process gives up: FATAL. */
export const retriesExhausted = (tries: number, startretries: number): boolean => tries > startretries;
