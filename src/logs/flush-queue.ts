import { HoldBudget } from './hold.js';
import type { NativeLineFormat } from './line-format.js';
import { realTimers, type LogTimers } from './timers.js';

/** A channel with bytes waiting for the flush. */
export interface Flushable {
  flush(): void;
}

export interface FlushQueueOptions {
  /** Time for the files' retries and loss markers (the supervisor's clock). */
  readonly timers?: LogTimers;
  /** What all files of this queue may hold in memory while they cannot be written. */
  readonly budget?: HoldBudget;
  /** The addon's line formatting (log_timestamps, log_format = json); JavaScript without it. */
  readonly native?: NativeLineFormat | null;
}

const SLAB_BYTES = 1024 * 1024;
const READ_BYTES = 64 * 1024;
/** A busy stream is written at most once per this many ms (or when the slab is full). */
const FLUSH_INTERVAL_MS = 1;

// Batches what every channel reads into few, large writes, and owns the memory pipes are read
// into: one scratch buffer for every read (libuv reads one pipe at a time and calls back at once),
// and a slab the bytes are copied into and kept in until the flush. Once every dirty channel is
// flushed no chunk refers to the slab any more and it is reused from the start; a read that would
// overrun it flushes first. A channel's consecutive reads lie side by side in the slab, so one
// file write takes them all.
//
// Writes, not reads, are where the time goes: a program that writes 8 KiB at a time (stdio, `yes
// | head`) is read 8 KiB at a time, and writing each read to the file on its own costs a syscall
// and a page-cache walk per 8 KiB. So a flush comes at once after a quiet spell (a lone line is
// not delayed), but a stream that keeps coming is written at most once per millisecond, in
// writes of up to a slab. Raw timers, not the supervisor's clock: this is I/O scheduling within
// one millisecond, and a fake clock in a test would never flush.
export class FlushQueue {
  readonly timers: LogTimers;
  readonly budget: HoldBudget;
  readonly native: NativeLineFormat | null;
  readonly #dirty = new Set<Flushable>();
  // One flush is scheduled at a time; an early one (a full slab) leaves it be, and it takes what
  // comes after.
  readonly #scheduledFlush = (): void => {
    this.#scheduled = false;
    this.flushAll();
  };
  #scheduled = false;
  #lastFlush = -Infinity;
  #lastStamp = -Infinity;
  #scratch: Buffer | null = null;
  #slab: Buffer | null = null;
  #used = 0;

  constructor(options: FlushQueueOptions = {}) {
    this.timers = options.timers ?? realTimers;
    this.budget = options.budget ?? new HoldBudget();
    this.native = options.native ?? null;
  }

  mark(channel: Flushable): void {
    this.#dirty.add(channel);
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = this.#lastFlush + FLUSH_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(this.#scheduledFlush);
    else setTimeout(this.#scheduledFlush, wait);
  }

  flushAll(): void {
    this.#lastFlush = performance.now();
    const channels = [...this.#dirty];
    this.#dirty.clear();
    for (const channel of channels) channel.flush();
    this.#used = 0;
  }

  /**
   * The arrival time of a channel's flush: the clock's time, but after every earlier stamp (by a
   * microsecond), so output read in one batch keeps the order it was read in (channels are flushed
   * in the order they were first marked).
   */
  stamp(): number {
    this.#lastStamp = Math.max(this.timers.now(), this.#lastStamp + 0.001);
    return this.#lastStamp;
  }

  /** Where every pipe reads into; what a read put there is valid until its callback returns. */
  get scratch(): Buffer {
    this.#scratch ??= Buffer.allocUnsafe(READ_BYTES);
    return this.#scratch;
  }

  /** Where kept bytes are, until the next flush. */
  get slab(): Buffer {
    this.#slab ??= Buffer.allocUnsafe(SLAB_BYTES);
    return this.#slab;
  }

  /** Where the free part of the slab starts. */
  get used(): number {
    return this.#used;
  }

  /** Keeps the `length` bytes a formatter wrote at `used`; returns where they start. */
  keep(length: number): number {
    const start = this.#used;
    this.#used += length;
    return start;
  }

  /** Copies the first `length` bytes of the scratch buffer into the slab; returns where they start. */
  keepScratch(length: number): number {
    if (SLAB_BYTES - this.#used < length) this.flushAll();
    const start = this.#used;
    const scratch = this.scratch;
    // TypedArray#set is a plain memmove; Buffer#copy validates its arguments on every read.
    this.slab.set(new Uint8Array(scratch.buffer, scratch.byteOffset, length), start);
    this.#used += length;
    return start;
  }
}
