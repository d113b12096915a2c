import type { ProbeSpec } from '../config/types.js';
import { runProbe, type ProbeContext, type ProbeResult } from './probes.js';
import type { TimerHandle, Timers } from './timers.js';

// `ready = tcp:… | http… | exec:…`: probe until the first success, quickly at first (a server
// that binds in 50 ms is RUNNING in about that time), then once a second. ready_timeout is the
// lifecycle's timer, not the poller's: the poller runs until it succeeds or is cancelled.

const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 1000;

export interface ReadyPoll {
  /** The last failed attempt, for the STARTING description; null before the first result. */
  readonly last: ProbeResult | null;
  cancel(): void;
}

export const pollUntilReady = (
  spec: ProbeSpec,
  context: ProbeContext,
  timers: Timers,
  onReady: () => void,
): ReadyPoll => {
  let cancelled = false;
  let timer: TimerHandle | null = null;
  let last: ProbeResult | null = null;
  let delay = FIRST_DELAY_MS;
  const attempt = (): void => {
    timer = null;
    void runProbe(spec, context).then((result) => {
      if (cancelled) return;
      if (result.ok) {
        cancelled = true;
        onReady();
        return;
      }
      last = result;
      timer = timers.setTimer(delay, attempt);
      delay = Math.min(MAX_DELAY_MS, delay * 2);
    });
  };
  attempt();
  return {
    get last() {
      return last;
    },
    cancel: () => {
      cancelled = true;
      timer?.cancel();
    },
  };
};
