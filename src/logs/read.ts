import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { TendError } from '../errors/index.js';

// Log reads with supervisord's exact offset/length semantics (options.py readFile/tailFile),
// because supervisorctl `tail` and third-party tools compute offsets against them.

const readAt = (fd: number, position: number, length: number): Buffer => {
  const buffer = Buffer.allocUnsafe(Math.max(0, length));
  let total = 0;
  while (total < buffer.length) {
    const n = readSync(fd, buffer, total, buffer.length - total, position + total);
    if (n === 0) break;
    total += n;
  }
  return buffer.subarray(0, total);
};

const withFile = <T>(file: string, fn: (fd: number, size: number) => T): T => {
  const fd = openSync(file, 'r');
  try {
    return fn(fd, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
};

/**
 * offset < 0, length 0: the last |offset| bytes. offset ≥ 0, length 0: offset to EOF.
 * offset ≥ 0, length > 0: length bytes from offset. Anything else: BAD_ARGUMENTS.
 */
export const readLogRange = (file: string, offset: number, length: number): Buffer => {
  if (offset < 0 && length !== 0) throw new TendError('BAD_ARGUMENTS');
  if (offset >= 0 && length < 0) throw new TendError('BAD_ARGUMENTS');
  try {
    return withFile(file, (fd, size) => {
      if (offset < 0) {
        const start = Math.max(0, size + offset);
        return readAt(fd, start, Math.min(-offset, size - start));
      }
      const end = length === 0 ? size : Math.min(size, offset + length);
      return readAt(fd, offset, end - offset);
    });
  } catch (error) {
    throw new TendError('FAILED', undefined, { cause: error });
  }
};

export interface TailResult {
  readonly bytes: Buffer;
  /** Always the file size: where the next tail call should continue. */
  readonly offset: number;
  /** True when more than `length` bytes were available after `offset`: only the last are sent. */
  readonly overflow: boolean;
}

export const tailLog = (file: string, offset: number, length: number): TailResult => {
  try {
    return withFile(file, (fd, size) => {
      let start = offset;
      let count = length;
      let overflow = false;
      if (size > start + count) {
        overflow = true;
        start = size - 1;
      }
      if (start + count > size) {
        if (start > size - 1) count = 0;
        start = size - count;
      }
      start = Math.max(0, start);
      count = Math.max(0, count);
      return { bytes: count === 0 ? Buffer.alloc(0) : readAt(fd, start, count), offset: size, overflow };
    });
  } catch {
    return { bytes: Buffer.alloc(0), offset, overflow: false };
  }
};
