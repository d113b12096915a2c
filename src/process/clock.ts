// Time as a dependency, so the lifecycle's timers (startsecs, backoff, stopwaitsecs) run on a fake
// clock in unit tests and on real timers in the daemon. Times are epoch milliseconds because
// supervisord reports wall-clock start/stop times over the wire.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimer(ms: number, callback: () => void): TimerHandle;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, callback) => {
    const timer = setTimeout(callback, Math.max(0, ms));
    return {
      cancel: () => {
        clearTimeout(timer);
      },
    };
  },
};
