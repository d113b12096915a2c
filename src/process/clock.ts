// Time as a dependency, so the lifecycle's timers (startsecs, backoff, stopwaitsecs) run on a fake
// clock in unit tests and on real timers in the daemon. `now()` is epoch milliseconds because
// supervisord reports wall-clock start/stop times over the wire; every duration the lifecycle
// decides on (how long a start or a run lasted, the flap window, the restart budget) is measured
// on `monotonic()`, so a wall-clock step (NTP, a VM resumed, an operator's `date -s`) never turns
// into a false start failure, a false backoff or a false crash loop.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Milliseconds from an arbitrary origin that only moves forward, at the rate of real time. */
  monotonic(): number;
  setTimer(ms: number, callback: () => void): TimerHandle;
}

/** The longest delay setTimeout holds in one piece; a longer one fires at once (and warns). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The host's timers, injectable so the chaining below is testable without real weeks. */
export interface Timers {
  now(): number;
  /** Defaults to `now` (tests of the timer chaining need no second clock). */
  monotonic?(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const hostTimers: Timers = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

// Delays beyond MAX_TIMER_MS (startsecs or stopwaitsecs of weeks are valid supervisord values, and
// EXTEND_TIMEOUT_USEC comes from the child) are waited out in pieces.
export function clockOn(timers: Timers): Clock {
  return {
    now: () => timers.now(),
    monotonic: () => (timers.monotonic ?? timers.now)(),
    setTimer: (ms, callback) => {
      let timer: unknown;
      const arm = (remaining: number): void => {
        timer = timers.setTimeout(
          () => {
            if (remaining > MAX_TIMER_MS) arm(remaining - MAX_TIMER_MS);
            else callback();
          },
          Math.min(Math.max(0, remaining), MAX_TIMER_MS),
        );
      };
      arm(ms);
      return {
        cancel: () => {
          timers.clearTimeout(timer);
        },
      };
    },
  };
}

export const realClock: Clock = clockOn(hostTimers);
