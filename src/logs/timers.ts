// Time for the log pipeline (retries of a failing file, the times in its loss markers), shaped
// like process/clock.ts's Clock so the supervisor passes its clock and tests a fake one.

export interface LogTimers {
  now(): number;
  setTimer(ms: number, callback: () => void): { cancel(): void };
}

// The default for files made outside a supervisor (the daemon's own log, tests): real time, with
// timers that do not keep the process alive on their own.
export const realTimers: LogTimers = {
  now: () => Date.now(),
  setTimer: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return {
      cancel: () => {
        clearTimeout(timer);
      },
    };
  },
};
