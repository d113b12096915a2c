import { HOLD_PER_FILE, type FileHealth, type StreamName } from '../logs/index.js';
import type { LifecycleLog } from '../process/index.js';

// What the daemon says when a program's log file cannot be written, starts dropping output, and
// recovers. It is the one place log health leaves the logs layer: a LOG_BYTES_DROPPED event on
// the bus is emitted from here too. The counts themselves live with the channel (its stats), where
// process info reads them.

const MiB = 1024 * 1024;

export const reportLogHealth = (
  log: LifecycleLog,
  owner: string,
  stream: StreamName,
  event: FileHealth,
): void => {
  const fields = { program: owner, stream, path: event.path };
  switch (event.kind) {
    case 'failed':
      log(
        'error',
        `${owner}: cannot write ${stream} log ${event.path} (${event.error}); holding its newest output in memory (up to ${HOLD_PER_FILE / MiB} MiB) until it can`,
        { ...fields, error: event.error },
      );
      return;
    case 'dropping':
      log(
        'error',
        `${owner}: ${stream} log ${event.path} still cannot be written (${event.error}); dropping its oldest held lines from now on, and the file will mark where`,
        { ...fields, error: event.error },
      );
      return;
    case 'recovered':
      log(
        event.droppedBytes === 0 ? 'info' : 'warn',
        event.droppedBytes === 0
          ? `${owner}: ${stream} log ${event.path} is writable again; nothing was lost`
          : `${owner}: ${stream} log ${event.path} is writable again; ${event.droppedBytes} bytes (${event.droppedLines} lines) were dropped, marked in the file`,
        { ...fields, droppedBytes: event.droppedBytes, droppedLines: event.droppedLines },
      );
  }
};
