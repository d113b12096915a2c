import type { EventBus, EventOf } from '../events/index.js';
import type { LifecycleLog } from '../process/index.js';
import { makeNamespec } from './names.js';

// The daemon log's lines about what the bus reports and the lifecycle does not log itself: a log
// file that cannot be written and recovers, health that comes back. The emitters only publish;
// this subscriber writes the lines, so every observer reads the same facts.

const logDrop = (log: LifecycleLog, e: EventOf<'LOG_BYTES_DROPPED'>): void => {
  const owner = makeNamespec(e.group, e.name);
  const fields = { program: owner, stream: e.channel };
  if (!e.recovered) {
    log(
      'error',
      `${owner}: cannot write ${e.channel} log ${e.path} (${e.error ?? 'error'}); holding output, dropping what does not fit`,
      fields,
    );
  } else {
    log(
      'warn',
      `${owner}: ${e.channel} log ${e.path} is writable again; ${e.droppedBytes} bytes were dropped`,
      {
        ...fields,
        droppedBytes: e.droppedBytes,
      },
    );
  }
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
