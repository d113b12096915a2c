import type { Loss } from './hold.js';

// The line a log file gets where output was dropped, so that a reader of the file (not only of
// the daemon's log) sees that something is missing there, how much, and when.

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const MARKER_PREFIX = '[tend] ';

export const lossMarker = (loss: Loss, error: string): Buffer =>
  Buffer.from(
    `${MARKER_PREFIX}dropped ${plural(loss.bytes, 'byte')} (${plural(loss.lines, 'line')}) of output here, ` +
      `from ${new Date(loss.first).toISOString()} to ${new Date(loss.last).toISOString()}: ` +
      `the log file could not be written (${error})\n`,
  );
