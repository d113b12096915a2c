import type { EventBus, EventOf } from '../events/index.js';
import { HOLD_PER_FILE } from '../logs/index.js';
import type { LifecycleLog } from '../process/index.js';
import { makeNamespec } from '../protocol/names.js';

// The daemon log's lines about what the bus reports and the lifecycle does not log itself: a log
// file that cannot be written and recovers, health that comes back. The emitters only publish;
// this subscriber writes the lines, so every observer reads the same facts.

const MiB = 1024 * 1024;

const dropText = (owner: string, e: EventOf<'LOG_BYTES_DROPPED'>): string => {
  switch (e.phase) {
    case 'failed':
      return `${owner}: cannot write ${e.channel} log ${e.path} (${e.error ?? 'error'}); holding its newest output in memory (up to ${HOLD_PER_FILE / MiB} MiB) until it can`;
    case 'dropping':
      return `${owner}: ${e.channel} log ${e.path} still cannot be written (${e.error ?? 'error'}); dropping its oldest held lines from now on, and the file will mark where`;
    case 'recovered':
      return e.droppedBytes === 0
        ? `${owner}: ${e.channel} log ${e.path} is writable again; nothing was lost`
        : `${owner}: ${e.channel} log ${e.path} is writable again; ${e.droppedBytes} bytes (${e.droppedLines} lines) were dropped, marked in the file`;
  }
};

const logDrop = (log: LifecycleLog, e: EventOf<'LOG_BYTES_DROPPED'>): void => {
  const owner = makeNamespec(e.group, e.name);
  const level = e.phase !== 'recovered' ? 'error' : e.droppedBytes === 0 ? 'info' : 'warn';
  log(level, dropText(owner, e), {
    program: owner,
    stream: e.channel,
    path: e.path,
    ...(e.error === null ? {} : { error: e.error }),
    ...(e.phase === 'recovered' ? { droppedBytes: e.droppedBytes, droppedLines: e.droppedLines } : {}),
  });
};

/** Writes the daemon log's lines for the bus events that have them; returns the unsubscribe. */
export const logEvents = (bus: EventBus, log: LifecycleLog): (() => void) => {
  const offs = [
    bus.on('LOG_BYTES_DROPPED', (e) => {
      logDrop(log, e);
    }),
    bus.on('PROCESS_HEALTH_HEALTHY', (e) => {
      const owner = makeNamespec(e.group, e.name);
      log('info', `${owner}: healthy (healthcheck = ${e.check})`, { program: owner, pid: e.pid });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
};
