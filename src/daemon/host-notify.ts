import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { LifecycleLog, ProcessState } from '../process/index.js';
import { formatNotify, sendDatagram } from '../readiness/index.js';
import type { Supervisor } from '../supervisor/index.js';

// tend under an init system that speaks sd_notify (systemd Type=notify): READY=1 once the control
// socket listens and the autostart programs are launched, STATUS= with a summary whenever states
// change, RELOADING=1 around a reload, STOPPING=1 at shutdown, and WATCHDOG=1 at half of
// WATCHDOG_USEC, but only while the event loop is healthy: a daemon whose loop is stuck cannot
// supervise anything, and a missed ping is how the host's systemd finds out and restarts it.

export interface HostNotifier {
  ready(): void;
  reloading(): void;
  stopping(): void;
  close(): void;
}

const NOOP: HostNotifier = {
  ready: () => undefined,
  reloading: () => undefined,
  stopping: () => undefined,
  close: () => undefined,
};

const STATUS_DEBOUNCE_MS = 1000;

/** A ping is sent only if the worst loop delay since the last one stayed under half its interval. */
export const loopHealthy = (maxLagMs: number, pingIntervalMs: number): boolean =>
  maxLagMs < pingIntervalMs / 2;

/** `3 running, 1 backoff` from the supervisor's counts, in state-code order. */
export const summaryText = (counts: Partial<Record<ProcessState, number>>): string => {
  const order: ProcessState[] = [
    'RUNNING',
    'STARTING',
    'BACKOFF',
    'STOPPING',
    'EXITED',
    'FATAL',
    'STOPPED',
    'UNKNOWN',
  ];
  const parts = order.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s] ?? 0} ${s.toLowerCase()}`);
  return parts.length === 0 ? 'no programs' : parts.join(', ');
};

/** CLOCK_MONOTONIC in µs: libuv's hrtime reads that clock on Linux. */
const monotonicUsec = (): string => String(process.hrtime.bigint() / 1000n);

/** The watchdog interval systemd asked for, if it is meant for this process (sd_watchdog_enabled). */
export const watchdogUsec = (
  env: Readonly<Record<string, string | undefined>>,
  pid: number,
): number | null => {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isSafeInteger(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return null;
  return usec;
};

export const hostNotifier = (
  env: Readonly<Record<string, string | undefined>>,
  sup: Supervisor,
  log: LifecycleLog,
): HostNotifier => {
  const socket = env.NOTIFY_SOCKET;
  if (socket === undefined || socket === '') return NOOP;
  if (socket.startsWith('@')) {
    log('warn', `NOTIFY_SOCKET=${socket} is an abstract socket, which tend cannot send to; not notifying`);
    return NOOP;
  }
  const send = (assignments: Record<string, string | number>): void => {
    sendDatagram(socket, formatNotify(assignments)).catch((error: unknown) => {
      log('warn', `cannot notify ${socket}: ${String(error)}`);
    });
  };
  const stopStatus = statusUpdates(sup, send);
  const watchdog = startWatchdog(env, send, log);
  return {
    ready: () => {
      send({ READY: 1, STATUS: summaryText(sup.summary()) });
    },
    reloading: () => {
      send({ RELOADING: 1, MONOTONIC_USEC: monotonicUsec(), STATUS: 'reloading the config' });
    },
    stopping: () => {
      send({ STOPPING: 1, STATUS: 'stopping programs' });
    },
    close: () => {
      stopStatus();
      watchdog?.stop();
    },
  };
};

type Send = (assignments: Record<string, string | number>) => void;

// STATUS= after state changes, at most once a second: a crash loop must not flood the host.
const statusUpdates = (sup: Supervisor, send: Send): (() => void) => {
  let timer: NodeJS.Timeout | null = null;
  const unsubscribe = sup.bus.on('PROCESS_STATE', () => {
    timer ??= setTimeout(() => {
      timer = null;
      send({ STATUS: summaryText(sup.summary()) });
    }, STATUS_DEBOUNCE_MS);
  });
  return () => {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
  };
};

const startWatchdog = (
  env: Readonly<Record<string, string | undefined>>,
  send: Send,
  log: LifecycleLog,
): { stop(): void } | null => {
  const usec = watchdogUsec(env, process.pid);
  if (usec === null) return null;
  // WATCHDOG_USEC comes from the host; a half-interval beyond setTimeout's range would fire at once.
  const intervalMs = Math.min(2 ** 31 - 1, Math.max(1, Math.floor(usec / 2000)));
  const histogram: IntervalHistogram = monitorEventLoopDelay({
    resolution: Math.min(20, Math.max(1, Math.floor(intervalMs / 10))),
  });
  histogram.enable();
  let skipped = false;
  const timer = setInterval(() => {
    const lagMs = histogram.max / 1e6;
    histogram.reset();
    if (loopHealthy(lagMs, intervalMs)) {
      if (skipped) log('info', 'event loop healthy again; watchdog pings resume');
      skipped = false;
      send({ WATCHDOG: 1 });
    } else {
      skipped = true;
      log('warn', `event loop lagged ${Math.round(lagMs)} ms; skipping the watchdog ping`);
    }
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
};
