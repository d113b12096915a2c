import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { LINE_MAX } from './bounds.js';

// The file-system calls of a log file that are not plain writes.

const NEWLINE = 0x0a;

/** Bytes of a line longer than LINE_MAX, or of one the file cannot tell: too long to move. */
export const LONG_LINE = Infinity;

/**
 * Opens `path` for appending. Read access too where the mode allows it: a rotation reads a started
 * line back from the file instead of keeping a copy of it in memory.
 */
export const openAppend = (path: string): { fd: number; readable: boolean } => {
  try {
    return { fd: openSync(path, 'a+'), readable: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    return { fd: openSync(path, 'a'), readable: false };
  }
};

/** Creates `path` if it is missing, without keeping a descriptor (an idle program holds none). */
export const touch = (path: string): void => {
  closeSync(openSync(path, 'a'));
};

/** The size of the file at `path`, 0 when there is none. */
export const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

export const sizeOfFd = (fd: number): number => fstatSync(fd).size;

/** When the file was made (its birth time where the file system keeps one, else its last change). */
export const bornAt = (fd: number): number => {
  const stat = fstatSync(fd);
  return stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs;
};

/** Fills `buffer` from `fd` at `position`; throws if the file is shorter. */
export const readAt = (fd: number, buffer: Buffer, position: number): void => {
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) throw new Error('the log file is shorter than expected');
    done += n;
  }
};

const TAIL_FIRST = 4096;

/** How many bytes follow the last newline of a file of `size` bytes (LONG_LINE past LINE_MAX). */
export const tailPartial = (fd: number, size: number): number => {
  if (size === 0) return 0;
  // Most files end within a short line of a newline: a small read first, the full bound if not.
  for (const want of [TAIL_FIRST, LINE_MAX + 1]) {
    const length = Math.min(size, want);
    const tail = Buffer.allocUnsafe(length);
    try {
      readAt(fd, tail, size - length);
    } catch {
      return LONG_LINE;
    }
    const at = tail.lastIndexOf(NEWLINE);
    if (at >= 0) return length - at - 1;
    if (length === size) return length > LINE_MAX ? LONG_LINE : length;
  }
  return LONG_LINE;
};

const renameIfExists = (from: string, to: string): void => {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
};

/** supervisord's rotation: file.N-1 → file.N … file → file.1, or, with no backups, removal. */
export const shiftBackups = (path: string, backups: number): void => {
  if (backups === 0) {
    rmSync(path, { force: true });
    return;
  }
  for (let i = backups - 1; i >= 1; i--) renameIfExists(`${path}.${i}`, `${path}.${i + 1}`);
  renameIfExists(path, `${path}.1`);
};
