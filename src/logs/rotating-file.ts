import { closeSync, ftruncateSync, rmSync, writevSync } from 'node:fs';
import { Batch, firstBytes, skipBytes } from './batch.js';
import { LINE_MAX } from './bounds.js';
import {
  bornAt,
  LONG_LINE,
  openAppend,
  readAt,
  shiftBackups,
  sizeOf,
  sizeOfFd,
  tailPartial,
  touch,
} from './file-ops.js';
import { Hold, type HoldBudget } from './hold.js';
import { lossMarker } from './marker.js';
import { realTimers, type LogTimers } from './timers.js';
import type { FileHealth, FileStats } from './file-health.js';

export type { FileHealth, FileStats } from './file-health.js';

// A log file with supervisord's size rotation (file, file.1 … file.N), written synchronously in
// batches: measured on a 2-core box, batched writevSync from the event loop moves ~1 GiB/s of
// child output, against ~0.45 GiB/s for fs.WriteStream (DESIGN.md §3). A batch of page-cache
// writes blocks the loop for well under a millisecond.
//
// It also rotates by age (tend's *_logfile_maxage), whichever limit comes first: at a write, a file
// whose first line is older than maxage is rotated before the write, or, when it ends in a line
// the program has not finished, right after the write that finishes it. A quiet file is not
// rotated until it is written to again, so no empty backups push real ones out.
//
// Its promises: no byte is lost or reordered across rotation; rotation never splits a line of up
// to LINE_MAX bytes; a failing disk never blocks the child or crashes the daemon. While the file
// cannot be written its output waits in a bounded hold (hold.ts) that drops its oldest lines
// when full; the file is retried every `retryMs`, and once it takes bytes again it first gets a
// line marking what was dropped, then the held output. The descriptor is opened at the first
// write and released while the program is not running, so quiet programs hold none.

export interface RotatingFileOptions {
  readonly path: string;
  /** Rotate before the file would exceed this many bytes; 0 never rotates. */
  readonly maxbytes: number;
  /** Rotated copies kept; 0 truncates on rotation. */
  readonly backups: number;
  /** Also rotate once the file's first line is this many ms old (by `timers`); 0 is off. */
  readonly maxageMs?: number;
  /** Bytes held in memory while the file cannot be written (default HOLD_PER_FILE). */
  readonly holdLimit?: number;
  /** Shared with the other files of the daemon (default: this file's own). */
  readonly budget?: HoldBudget;
  readonly retryMs?: number;
  readonly timers?: LogTimers;
  readonly onHealth?: (event: FileHealth) => void;
}

const NEWLINE = 0x0a;
const NEWLINE_BUFFER = Buffer.from('\n');

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

export class RotatingFile {
  readonly path: string;
  readonly #maxbytes: number;
  readonly #backups: number;
  readonly #maxageMs: number;
  readonly #retryMs: number;
  readonly #timers: LogTimers;
  readonly #onHealth: (event: FileHealth) => void;
  readonly #hold: Hold;
  #fd = -1;
  #readable = false;
  #size = 0;
  /** Bytes after the file's last newline (LONG_LINE: more than LINE_MAX, or not known). */
  #partial = 0;
  #error: string | null = null;
  #failures = 0;
  #droppedBefore = { bytes: 0, lines: 0 };
  #dropReported = false;
  /** Bytes at the end of the file that are the start of a marker the disk cut short. */
  #markerTail = 0;
  #retryTimer: { cancel(): void } | null = null;
  #closed = false;
  #writtenBytes = 0;
  #rotations = 0;
  /** When the current file got its first byte; null while it is empty. */
  #bornAt: number | null = null;

  constructor(options: RotatingFileOptions) {
    this.path = options.path;
    this.#maxbytes = options.maxbytes;
    this.#backups = options.backups;
    this.#maxageMs = options.maxageMs ?? 0;
    this.#retryMs = options.retryMs ?? 1000;
    this.#timers = options.timers ?? realTimers;
    this.#onHealth = options.onHealth ?? (() => undefined);
    this.#hold = new Hold({
      ...(options.holdLimit === undefined ? {} : { limit: options.holdLimit }),
      ...(options.budget === undefined ? {} : { budget: options.budget }),
      now: () => this.#timers.now(),
    });
    this.#create();
  }

  get stats(): FileStats {
    const dropped = this.#hold.dropped;
    return {
      writtenBytes: this.#writtenBytes,
      droppedBytes: dropped.bytes,
      droppedLines: dropped.lines,
      heldBytes: this.#hold.bytes,
      rotations: this.#rotations,
      lastDrop: dropped.last,
      error: this.#error,
    };
  }

  /** Bytes in the current file (what supervisord's tail offsets are relative to). */
  get size(): number {
    return this.#fd >= 0 ? this.#size : sizeOf(this.path);
  }

  /** Rotations so far: a change means the file at `path` is a new one. */
  get rotations(): number {
    return this.#rotations;
  }

  get failed(): boolean {
    return this.#error !== null;
  }

  write(chunks: readonly Buffer[]): void {
    if (this.#closed) return;
    if (this.#error === null && (this.#fd >= 0 || this.#open())) this.#writeAll(chunks);
    else this.#holdAll(chunks);
  }

  /** Lets go of the descriptor until the next write (the program is not running). */
  release(): void {
    if (this.#error === null) this.#closeFd();
  }

  /** Closes and reopens the file at its path (SIGUSR2, or after an external logrotate). */
  reopen(): void {
    this.#closeFd();
    this.#bornAt = null;
    this.#create();
  }

  /** Removes the file and starts an empty one (supervisord's clearProcessLogs). */
  clear(): void {
    this.#closeFd();
    this.#bornAt = null;
    rmSync(this.path, { force: true });
    this.#create();
  }

  /** Final: writes what it can of the held bytes, counts the rest as dropped, closes for good. */
  close(): void {
    if (this.#closed) return;
    if (this.#error !== null) this.#retry();
    this.#hold.dropAll();
    this.#closed = true;
    this.#retryTimer?.cancel();
    this.#retryTimer = null;
    this.#closeFd();
  }

  // Makes the file exist at its path (so readers find it) without holding a descriptor; a file
  // that is failing is retried now instead.
  #create(): void {
    if (this.#error !== null) {
      this.#retry();
      return;
    }
    try {
      touch(this.path);
    } catch (error) {
      this.#fail(error);
    }
  }

  // Rotation keeps lines whole (supervisord splits them at read boundaries, #749): a chunk that
  // does not fit is cut after its last newline that does; with no newline in reach, a line already
  // started in the file is moved whole to the next file (read back, truncated off, written again).
  // Only a line longer than LINE_MAX, or than a whole file, is split, at the size limit.
  #writeAll(chunks: readonly Buffer[]): void {
    const rest = this.#expired(chunks) ? this.#rotateByAge(chunks) : chunks;
    if (rest !== null) this.#placeAll(rest);
  }

  /** Writes `chunks`; on a failure holds what is not written and returns false. */
  #placeAll(chunks: readonly Buffer[]): boolean {
    const batch = new Batch();
    for (let i = 0; i < chunks.length; i++) {
      if (!this.#place(chunks[i] as Buffer, batch)) {
        this.#holdAll(chunks.slice(i + 1));
        return false;
      }
    }
    return this.#flush(batch);
  }

  /** The file is due for an age rotation, and there is something to write (an empty write rotates nothing). */
  #expired(chunks: readonly Buffer[]): boolean {
    return this.#old() && chunks.some((chunk) => chunk.length > 0);
  }

  #old(): boolean {
    return this.#maxageMs > 0 && this.#bornAt !== null && this.#timers.now() - this.#bornAt >= this.#maxageMs;
  }

  // Age rotation at a line end: a line the file ends in is finished first (with the chunks up to
  // its newline); without a newline in reach the rotation waits for the next write. Returns what
  // is left to write, or null when a failure held it.
  #rotateByAge(chunks: readonly Buffer[]): readonly Buffer[] | null {
    let rest = chunks;
    if (this.#partial > 0) {
      const i = chunks.findIndex((chunk) => chunk.includes(NEWLINE));
      if (i < 0) return chunks;
      const chunk = chunks[i] as Buffer;
      const at = chunk.indexOf(NEWLINE) + 1;
      rest = [chunk.subarray(at), ...chunks.slice(i + 1)];
      if (!this.#placeAll([...chunks.slice(0, i), chunk.subarray(0, at)])) {
        this.#holdAll(rest);
        return null;
      }
      // A size rotation on the way started a new file, whose age starts now.
      if (!this.#old()) return rest;
    }
    if (this.#rotate()) return rest;
    this.#holdAll(rest);
    return null;
  }

  // Adds `input` to the batch, rotating as often as the size limit requires. On a failure it holds
  // what of the input (and of a line being moved) is not written, and returns false.
  #place(input: Buffer, batch: Batch): boolean {
    let chunk = input;
    while (chunk.length > 0) {
      const room = this.#maxbytes === 0 ? Infinity : this.#maxbytes - this.#size - batch.bytes;
      if (chunk.length <= room) {
        batch.add(chunk);
        return true;
      }
      const cut = room > 0 ? chunk.lastIndexOf(NEWLINE, room - 1) + 1 : 0;
      if (cut > 0) {
        batch.add(chunk.subarray(0, cut));
        chunk = chunk.subarray(cut);
        continue;
      }
      if (!this.#flush(batch)) return this.#holdAll([chunk]);
      const carry = this.#movableLine() ? this.#takePartial() : null;
      if (carry === null && (this.#size === 0 || this.#partial > 0)) {
        const take = Math.max(0, Math.min(chunk.length, this.#maxbytes - this.#size));
        batch.add(chunk.subarray(0, take));
        chunk = chunk.subarray(take);
        if (!this.#flush(batch)) return this.#holdAll([chunk]);
      }
      if (!this.#rotate()) return this.#holdAll(carry === null ? [chunk] : [carry, chunk]);
      if (carry !== null) batch.add(carry);
    }
    return true;
  }

  #movableLine(): boolean {
    return this.#readable && this.#partial > 0 && this.#partial <= LINE_MAX && this.#partial < this.#size;
  }

  #flush(batch: Batch): boolean {
    return batch.drain((buffers, bytes) => this.#writeBatch(buffers, bytes));
  }

  #writeBatch(buffers: Buffer[], bytes: number): boolean {
    let rest = buffers;
    let left = bytes;
    while (left > 0) {
      let written: number;
      try {
        written = this.#writev(rest);
      } catch (error) {
        this.#fail(error);
        this.#holdAll(rest);
        return false;
      }
      this.#writtenBytes += written;
      left -= written;
      if (left > 0) rest = skipBytes(rest, written);
    }
    return true;
  }

  /** One writev; keeps the file's size and line state. Throws on an error or a write of nothing. */
  #writev(buffers: Buffer[]): number {
    const written = writevSync(this.#fd, buffers);
    if (written === 0) throw Object.assign(new Error('wrote nothing'), { code: 'EIO' });
    this.#size += written;
    this.#bornAt ??= this.#timers.now();
    this.#trackPartial(firstBytes(buffers, written));
    return written;
  }

  #trackPartial(written: readonly Buffer[]): void {
    let tail = 0;
    for (let k = written.length - 1; k >= 0; k--) {
      const b = written[k] as Buffer;
      const at = b.lastIndexOf(NEWLINE);
      if (at >= 0) {
        this.#partial = tail + b.length - at - 1;
        return;
      }
      tail += b.length;
    }
    this.#partial += tail;
  }

  /** Truncates the file back to its last line end and returns the started line it cut off. */
  #takePartial(): Buffer | null {
    const length = this.#partial;
    const carry = Buffer.allocUnsafe(length);
    try {
      readAt(this.#fd, carry, this.#size - length);
      ftruncateSync(this.#fd, this.#size - length);
    } catch {
      return null;
    }
    this.#size -= length;
    this.#writtenBytes -= length;
    this.#partial = 0;
    return carry;
  }

  #rotate(): boolean {
    this.#closeFd();
    try {
      shiftBackups(this.path, this.#backups);
    } catch (error) {
      this.#fail(error);
      return false;
    }
    this.#rotations += 1;
    return this.#open();
  }

  #open(): boolean {
    try {
      const { fd, readable } = openAppend(this.path);
      this.#fd = fd;
      this.#readable = readable;
      this.#size = sizeOfFd(fd);
      // A file that has lines already is as old as it is (a restarted daemon appends to it).
      this.#bornAt = this.#size === 0 ? null : (this.#bornAt ?? Math.min(bornAt(fd), this.#timers.now()));
      this.#partial = readable ? tailPartial(fd, this.#size) : this.#size === 0 ? 0 : LONG_LINE;
      return true;
    } catch (error) {
      this.#closeFd();
      this.#fail(error);
      return false;
    }
  }

  #holdAll(chunks: readonly Buffer[]): false {
    for (const chunk of chunks) {
      const before = this.#hold.pendingLoss();
      this.#hold.add(chunk);
      if (before === null && this.#hold.pendingLoss() !== null && !this.#dropReported) {
        this.#dropReported = true;
        const error = this.#error ?? 'closed';
        this.#onHealth({ kind: 'dropping', path: this.path, error, time: this.#timers.now() });
      }
    }
    return false;
  }

  #fail(error: unknown): void {
    this.#failures += 1;
    if (this.#error === null) {
      this.#error = errorCode(error);
      this.#droppedBefore = this.#hold.dropped;
      this.#onHealth({ kind: 'failed', path: this.path, error: this.#error });
    }
    if (this.#retryTimer !== null || this.#closed) return;
    this.#retryTimer = this.#timers.setTimer(this.#retryMs, () => {
      this.#retryTimer = null;
      this.#retry();
    });
  }

  // Recovery is declared only once the held bytes are on disk, so a disk that stays full
  // produces one 'failed' report, not one per retry.
  #retry(): void {
    if (this.#closed || this.#error === null) return;
    if (this.#fd < 0 && !this.#open()) return;
    const failures = this.#failures;
    if (!this.#markLoss()) return;
    this.#writeAll(this.#hold.drain());
    if (this.#failures !== failures) return;
    const dropped = this.#hold.dropped;
    this.#error = null;
    this.#dropReported = false;
    this.#onHealth({
      kind: 'recovered',
      path: this.path,
      droppedBytes: dropped.bytes - this.#droppedBefore.bytes,
      droppedLines: dropped.lines - this.#droppedBefore.lines,
    });
  }

  // Where bytes were dropped the file gets a line saying so.
  #markLoss(): boolean {
    if (this.#hold.pendingLoss() === null) return true;
    try {
      this.#endTornLine();
      const loss = this.#hold.pendingLoss();
      if (loss !== null) this.#writeMarker(lossMarker(loss, this.#error ?? 'unknown error'));
    } catch (error) {
      this.#fail(error);
      return false;
    }
    this.#hold.takeLoss();
    return true;
  }

  // The line the file ends in lost its rest (the hold drops its oldest bytes first, which continue
  // it): its start is cut off the file too, and counted, so no torn line is left; a line too long
  // to cut is ended instead. A marker the disk cut short is cut off and written again whole.
  #endTornLine(): void {
    if (this.#partial === 0) return;
    if (this.#markerTail === this.#partial) {
      this.#truncate(this.#partial);
    } else if (this.#partial <= LINE_MAX && this.#partial <= this.#size) {
      this.#writtenBytes -= this.#partial;
      this.#hold.addLoss(this.#partial, 0);
      this.#truncate(this.#partial);
    } else {
      this.#writeAllOf(NEWLINE_BUFFER);
    }
    this.#markerTail = 0;
  }

  #truncate(bytes: number): void {
    ftruncateSync(this.#fd, this.#size - bytes);
    this.#size -= bytes;
    this.#partial = 0;
  }

  #writeMarker(marker: Buffer): void {
    const before = this.#size;
    try {
      this.#writeAllOf(marker);
    } catch (error) {
      this.#markerTail = this.#size - before;
      throw error;
    }
  }

  #writeAllOf(buffer: Buffer): void {
    let rest = buffer;
    while (rest.length > 0) rest = rest.subarray(this.#writev([rest]));
  }

  #closeFd(): void {
    if (this.#fd < 0) return;
    try {
      closeSync(this.#fd);
    } catch {
      // A close error (EIO on a failing disk) leaves nothing to recover for this fd.
    }
    this.#fd = -1;
  }
}
