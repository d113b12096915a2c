import type { Readable } from 'node:stream';
import { CaptureSplitter } from './capture.js';
import { readPipe, type SlabSource } from './pipe-reader.js';
import { RotatingFile, type FileHealth, type FileStats } from './rotating-file.js';

// One output stream of one process (its stdout or its stderr): the log file it goes to and the
// live subscribers (tail -f, fg, the SSE stream). It outlives the child: a restarted child writes
// to the same channel, so rotation state and subscribers carry over.

export type StreamName = 'stdout' | 'stderr';
export type ChunkListener = (chunk: Buffer) => void;

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
  readonly onHealth?: (owner: string, stream: StreamName, event: FileHealth) => void;
  /**
   * Called with every piece of output as it is read, before it is written (PROCESS_LOG events,
   * an event listener's protocol). The buffer is valid only during the call.
   */
  readonly onOutput?: (data: Buffer) => void;
  /** supervisord's capture mode (*_capture_maxbytes > 0): blocks between tokens become events. */
  readonly capture?: { readonly maxbytes: number; readonly onBlock: (data: Buffer) => void };
}

const captureOf = (
  options: ChannelOptions,
  take: (data: Buffer, captured: boolean) => void,
): CaptureSplitter | null => {
  const capture = options.capture;
  if (capture === undefined || capture.maxbytes <= 0) return null;
  return new CaptureSplitter(capture.maxbytes, {
    piece: take,
    communicate: (data) => {
      capture.onBlock(data);
    },
  });
};

// eslint-disable-next-line no-control-regex -- matching the ESC byte is the point
const ANSI_CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const stripAnsi = (chunk: Buffer): Buffer =>
  Buffer.from(chunk.toString('latin1').replace(ANSI_CSI, ''), 'latin1');

export class LogChannel {
  readonly owner: string;
  readonly stream: StreamName;
  readonly path: string | null;
  readonly #file: RotatingFile | null;
  readonly #listeners = new Set<ChunkListener>();
  readonly #queue: FlushQueue;
  readonly #stripAnsi: boolean;
  readonly #onOutput: ((data: Buffer) => void) | null;
  readonly #capture: CaptureSplitter | null;
  #pending: Buffer[] = [];

  constructor(options: ChannelOptions, queue: FlushQueue) {
    this.owner = options.owner;
    this.stream = options.stream;
    this.path = options.file?.path ?? null;
    this.#queue = queue;
    this.#stripAnsi = options.stripAnsi ?? false;
    this.#onOutput = options.onOutput ?? null;
    this.#capture = captureOf(options, (data, captured) => {
      this.#take(data, captured);
    });
    const onHealth = options.onHealth;
    this.#file =
      options.file === null
        ? null
        : new RotatingFile({
            ...options.file,
            ...(onHealth === undefined
              ? {}
              : {
                  onHealth: (e: FileHealth) => {
                    onHealth(this.owner, this.stream, e);
                  },
                }),
          });
  }

  /** Takes a chunk from the child's pipe; it is written on the next flush of the queue. */
  ingest(chunk: Buffer): void {
    if (this.#capture === null) this.#take(chunk, false);
    else this.#capture.push(chunk);
    this.#queue.mark(this);
  }

  // One piece of output: reported as read, and kept for the file unless capture mode took it.
  #take(raw: Buffer, captured: boolean): void {
    const data = this.#stripAnsi ? stripAnsi(raw) : raw;
    this.#onOutput?.(data);
    if (!captured) this.#pending.push(data);
  }

  // Pending chunks may be views into the queue's slab, which is reused after the flush: the file
  // writes them now (or copies what it must hold), and listeners, which may keep a chunk (a socket
  // write), get copies.
  flush(): void {
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
    this.#capture?.reset();
    const ended = readPipe(stream, this.#queue, (chunk) => {
      this.ingest(chunk);
    });
    if (this.#capture === null) return ended;
    return ended.then(() => {
      this.#capture?.end();
      this.#queue.mark(this);
    });
  }

  get stats(): FileStats {
    return this.#file?.stats ?? { writtenBytes: 0, droppedBytes: 0, rotations: 0 };
  }

  get size(): number {
    return this.#file?.size ?? 0;
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

const SLAB_BYTES = 1024 * 1024;
const READ_BYTES = 64 * 1024;

// Batches the chunks of every channel read in one event-loop turn into one writev per file.
// Reads are cheap and frequent (64 KiB each); writes are where the time goes. It also owns the
// memory the pipes are read into: one scratch buffer for every read, and a slab the bytes are
// kept in until the flush. Once every dirty channel is flushed no chunk refers to the slab any
// more and it is reused from the start; a turn that would overrun it flushes early.
export class FlushQueue implements SlabSource {
  readonly #dirty = new Set<LogChannel>();
  #scheduled = false;
  #scratch: Buffer | null = null;
  #slab: Buffer | null = null;
  #used = 0;

  mark(channel: LogChannel): void {
    this.#dirty.add(channel);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.flushAll();
    });
  }

  flushAll(): void {
    this.#scheduled = false;
    const channels = [...this.#dirty];
    this.#dirty.clear();
    for (const channel of channels) channel.flush();
    this.#used = 0;
  }

  get scratch(): Buffer {
    this.#scratch ??= Buffer.allocUnsafe(READ_BYTES);
    return this.#scratch;
  }

  keep(bytes: Buffer): Buffer {
    if (bytes.length > SLAB_BYTES) return Buffer.from(bytes);
    if (SLAB_BYTES - this.#used < bytes.length) this.flushAll();
    this.#slab ??= Buffer.allocUnsafe(SLAB_BYTES);
    const start = this.#used;
    this.#used += bytes.copy(this.#slab, start);
    return this.#slab.subarray(start, this.#used);
  }
}
