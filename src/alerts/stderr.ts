import { open } from 'node:fs/promises';
import { MAX_STDERR_CHARS } from './message.js';

// The last lines of a program's stderr log, read asynchronously (off the supervisor's path) when
// the event happens: by then the exit has been held until the pipes were drained and flushed, so
// the file holds the crash's last words.

/** Bytes read from the end of the file at most. */
const WINDOW = 16 * 1024;

export const lastLines = async (file: string, lines: number): Promise<string | null> => {
  if (lines <= 0) return null;
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, WINDOW);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    let text = buffer.toString('utf8');
    // A window that starts mid-file starts mid-line: that partial line is not shown.
    if (length < size) text = text.slice(text.indexOf('\n') + 1);
    const kept = text.replace(/\n$/, '').split('\n').slice(-lines).join('\n');
    const capped = kept.length > MAX_STDERR_CHARS ? `…${kept.slice(-MAX_STDERR_CHARS)}` : kept;
    return capped === '' ? null : `${capped}\n`;
  } finally {
    await handle.close();
  }
};
