import type { Readable } from 'node:stream';
import type { FlushQueue } from './flush-queue.js';
import { readPipe, type PipeSink } from './pipe-reader.js';
import { RotatingFile, type FileHealth, type FileStats } from './rotating-file.js';

// One output stream of one process (its stdout or its stderr): the log file it goes to and the
// live subscribers (tail -f, fg, the SSE stream). It outlives the child: a restarted child writes
// to the same channel, so rotation state and subscribers carry over.
//
// Bytes pass through as chunks, never split into lines, unless a transform is configured: it sees
// every chunk before it is kept (strip_ansi today; a per-line stage such as timestamps goes there
// too, holding its own partial line), so the raw path pays nothing for it.

export type StreamName = 'stdout' | 'stderr';
export type ChunkListener = (chunk: Buffer) => void;

/** Rewrites a chunk of output; returns memory of its own, never a view of its argument. */
export type ChunkTransform = (chunk: Buffer) => Buffer;

export interface ChannelFile {
  readonly path: string;
  readonly maxbytes: number;
  readonly backups: number;
}

export interface ChannelOptions {
  /** The process's namespec, for reports. */
  readonly owner: string;
  readonly stream: StreamName;
  readonly file: ChannelFile | null;
  /** [supervisord] strip_ansi: remove ANSI CSI escapes before writing (costs a copy per chunk). */
  readonly stripAnsi?: boolean;
  /**
   * The channel's file cannot be written, drops output, or is writable again: the hook the
   * supervisor reports through (its log, process info, and the event bus).
   */
  readonly onHealth?: (owner: string, stream: StreamName, event: FileHealth) => void;
}

// eslint-disable-next-line no-control-regex -- matching the ESC byte is the point
const ANSI_CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const stripAnsi: ChunkTransform = (chunk) =>
  Buffer.from(chunk.toString('latin1').replace(ANSI_CSI, ''), 'latin1');

const NO_STATS: FileStats = {
  writtenBytes: 0,
  droppedBytes: 0,
  droppedLines: 0,
  heldBytes: 0,
  rotations: 0,
  lastDrop: null,
  error: null,
};

export class LogChannel implements PipeSink {
  readonly owner: string;
  readonly stream: StreamName;
  readonly path: string | null;
  readonly #file: RotatingFile | null;
  readonly #listeners = new Set<ChunkListener>();
  readonly #queue: FlushQueue;
  readonly #transform: ChunkTransform | null;
  #pending: Buffer[] = [];
  // The open run: bytes this channel read back to back, side by side in the queue's slab.
  #runStart = 0;
  #runEnd = -1;

  constructor(options: ChannelOptions, queue: FlushQueue) {
    this.owner = options.owner;
    this.stream = options.stream;
    this.path = options.file?.path ?? null;
    this.#queue = queue;
    this.#transform = options.stripAnsi === true ? stripAnsi : null;
    const onHealth = options.onHealth;
    this.#file =
      options.file === null
        ? null
        : new RotatingFile({
            ...options.file,
            timers: queue.timers,
            budget: queue.budget,
            onHealth: (event: FileHealth) => onHealth?.(this.owner, this.stream, event),
          });
  }

  /** The hot path: takes what a pipe read put in the queue's scratch buffer. */
  takeScratch(length: number): void {
    const queue = this.#queue;
    if (this.#transform !== null) {
      this.#push(this.#transform(queue.scratch.subarray(0, length)));
      return;
    }
    const start = queue.keepScratch(length);
    if (start === this.#runEnd) {
      this.#runEnd += length;
    } else {
      this.#closeRun();
      this.#runStart = start;
      this.#runEnd = start + length;
    }
    queue.mark(this);
  }

  /** Takes a chunk the caller no longer touches; it is written on the next flush of the queue. */
  ingest(chunk: Buffer): void {
    this.#push(this.#transform === null ? chunk : this.#transform(chunk));
  }

  #push(chunk: Buffer): void {
    this.#closeRun();
    this.#pending.push(chunk);
    this.#queue.mark(this);
  }

  #closeRun(): void {
    if (this.#runEnd < 0) return;
    this.#pending.push(this.#queue.slab.subarray(this.#runStart, this.#runEnd));
    this.#runEnd = -1;
  }

  // Pending chunks may be views into the queue's slab, which is reused after the flush: the file
  // writes them now (or copies what it must hold), and listeners, which may keep a chunk (a socket
  // write), get copies.
  flush(): void {
    this.#closeRun();
    if (this.#pending.length === 0) return;
    const chunks = this.#pending;
    this.#pending = [];
    this.#file?.write(chunks);
    if (this.#listeners.size === 0) return;
    const copies = chunks.map((chunk) => Buffer.from(chunk));
    for (const listener of [...this.#listeners]) {
      for (const chunk of copies) listener(chunk);
    }
  }

  subscribe(listener: ChunkListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads a child's pipe into this channel; resolves when the pipe has reached its end. */
  attach(stream: Readable): Promise<void> {
    return readPipe(stream, this.#queue.scratch, this);
  }

  get stats(): FileStats {
    return this.#file?.stats ?? NO_STATS;
  }

  /** Writes what is pending and lets go of the file's descriptor until the next output. */
  release(): void {
    this.flush();
    this.#file?.release();
  }

  reopen(): void {
    this.flush();
    this.#file?.reopen();
  }

  clear(): void {
    this.flush();
    this.#file?.clear();
  }

  close(): void {
    this.flush();
    this.#file?.close();
    this.#listeners.clear();
  }
}
