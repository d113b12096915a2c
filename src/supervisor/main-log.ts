import { TendError } from '../errors/index.js';
import { readLogRange, type LogChannel } from '../logs/index.js';
import { existsSync } from 'node:fs';

// The daemon's own log ([supervisord] logfile) for readLog and clearLog. The daemon owns the
// channel; these functions only apply supervisord's rules to it.

const mainLogPath = (channel: LogChannel | null): string => {
  const file = channel?.path ?? null;
  if (file === null || !existsSync(file)) {
    throw new TendError('NO_FILE', 'the daemon has no log file', { faultDetail: file ?? '' });
  }
  return file;
};

/** supervisord's readLog: offset/length as readProcessStdoutLog. */
export const readMainLog = (channel: LogChannel | null, offset: number, length: number): Buffer => {
  const file = mainLogPath(channel);
  channel?.flush();
  return readLogRange(file, offset, length);
};

/** supervisord's clearLog: the file is emptied and reopened. */
export const clearMainLog = (channel: LogChannel | null): void => {
  mainLogPath(channel);
  try {
    channel?.clear();
  } catch (error) {
    throw new TendError('FAILED', 'could not clear the daemon log', { cause: error });
  }
};
