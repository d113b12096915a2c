import type { Readable } from 'node:stream';
import { Arrivals } from './arrivals.js';
import { CaptureSplitter } from './capture.js';
import type { FlushQueue } from './flush-queue.js';
import { readPipe, type PipeSink } from './pipe-reader.js';
import { JsonFormat, StampFormat, type FormatOut, type LineFormatter } from './line-format.js';
import { RotatingFile, type FileHealth, type FileStats } from './rotating-file.js';
import { readStamped, type StampedLine, type StampedQuery } from './stamped.js';
import type { SyslogLines } from './syslog.js';

// One output stream of one process (its stdout or its stderr): the log file it goes to and the
// live subscribers (tail -f, fg, the SSE stream). It outlives the child: a restarted child writes
// to the same channel, so rotation state and subscribers carry over.
//
// Bytes pass through as chunks, never split into lines, unless a transform is configured: it sees
// every chunk before it is kept (strip_ansi), so the raw path pays nothing for it. A line format
// (log_timestamps, log_format = json) is the last stage before the file: it writes straight into
// the queue's slab, so it costs no copy of its own; reports (PROCESS_LOG events, capture mode) see
// the output as the program wrote it.

export type StreamName = 'stdout' | 'stderr';
export type ChunkListener = (chunk: Buffer) => void;

/** Rewrites a chunk of output; returns memory of its own, never a view of its argument. */
export type ChunkTransform = (chunk: Buffer) => Buffer;

export interface ChannelFile {
  readonly path: string;
  readonly maxbytes: number;
  readonly backups: number;
  /** Rotate once the file's first line is this many ms old (checked at each write); 0 is off. */
  readonly maxageMs?: number;
}

/** What each line of the file becomes: as written, stamped with its time, or a JSON record. */
export type LineFormatName = 'raw' | 'stamped' | 'json';

export interface ChannelOptions {
  /** The process's namespec, for reports. */
  readonly owner: string;
  readonly stream: StreamName;
  readonly file: ChannelFile | null;
  /** [supervisord] strip_ansi: remove ANSI CSI escapes before writing (costs a copy per chunk). */
  readonly stripAnsi?: boolean;
  readonly lineFormat?: LineFormatName;
  /** *_syslog: every line also goes to the local syslog (as the program wrote it). */
  readonly syslog?: SyslogLines | null;
  /**
   * The channel's file cannot be written, drops output, or is writable again: the hook the
   * supervisor reports through (its log, process info, and the event bus).
   */
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
const stripAnsi: ChunkTransform = (chunk) =>
  Buffer.from(chunk.toString('latin1').replace(ANSI_CSI, ''), 'latin1');

const formatterOf = (options: ChannelOptions, queue: FlushQueue): LineFormatter | null => {
  switch (options.lineFormat ?? 'raw') {
    case 'raw':
      return null;
    case 'stamped':
      return new StampFormat(queue.native);
    case 'json':
      return new JsonFormat({ stream: options.stream, program: options.owner, native: queue.native });
  }
};

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
  readonly #onOutput: ((data: Buffer) => void) | null;
  readonly #capture: CaptureSplitter | null;
  readonly #format: LineFormatter | null;
  readonly #syslog: SyslogLines | null;
  // Where the format writes: the free end of the queue's slab.
  readonly #out: FormatOut;
  // Output that must be seen piece by piece (stripped, reported, split by capture mode, sent to
  // syslog) leaves the zero-copy path: each read is copied out of the scratch buffer first.
  readonly #perPiece: boolean;
  #pending: Buffer[] = [];
  /** When each part of the file arrived (tend logs: merged history, --since). */
  readonly #arrivals = new Arrivals();
  /** Bumped when the file is replaced outside a rotation (clear, reopen). */
  #replaced = 0;
  // The open run: bytes this channel read back to back, side by side in the queue's slab.
  #runStart = 0;
  #runEnd = -1;

  constructor(options: ChannelOptions, queue: FlushQueue) {
    this.owner = options.owner;
    this.stream = options.stream;
    this.path = options.file?.path ?? null;
    this.#queue = queue;
    this.#transform = options.stripAnsi === true ? stripAnsi : null;
    this.#onOutput = options.onOutput ?? null;
    this.#capture = captureOf(options, (data, captured) => {
      this.#take(data, captured);
    });
    this.#format = formatterOf(options, queue);
    this.#syslog = options.syslog ?? null;
    this.#out = {
      buffer: Buffer.alloc(0),
      pos: 0,
      end: 0,
      more: () => {
        this.#commitOut();
        this.#queue.flushAll();
        this.#beginOut();
      },
    };
    this.#perPiece =
      this.#transform !== null || this.#onOutput !== null || this.#capture !== null || this.#syslog !== null;
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
    if (this.#perPiece) {
      // The scratch buffer is reused by the next read: keep a copy, unless the transform makes one.
      const view = queue.scratch.subarray(0, length);
      this.ingest(this.#transform !== null && this.#capture === null ? view : Buffer.from(view));
      return;
    }
    if (this.#format !== null) {
      this.#formatted(queue.scratch.subarray(0, length));
      return;
    }
    this.#keepRun(queue.keepScratch(length), length);
  }

  #keepRun(start: number, length: number): void {
    if (start === this.#runEnd) {
      this.#runEnd += length;
    } else {
      this.#closeRun();
      this.#runStart = start;
      this.#runEnd = start + length;
    }
    this.#queue.mark(this);
  }

  #formatted(data: Buffer): void {
    this.#beginOut();
    this.#format?.write(data, this.#queue.timers.now(), this.#out);
    this.#commitOut();
  }

  #beginOut(): void {
    const out = this.#out;
    out.buffer = this.#queue.slab;
    out.pos = this.#queue.used;
    out.end = out.buffer.length;
  }

  #commitOut(): void {
    const length = this.#out.pos - this.#queue.used;
    if (length > 0) this.#keepRun(this.#queue.keep(length), length);
  }

  /** Takes a chunk the caller no longer touches; it is written on the next flush of the queue. */
  ingest(chunk: Buffer): void {
    if (this.#capture === null) this.#take(chunk, false);
    else this.#capture.push(chunk);
  }

  // One piece of output: reported as read, and kept for the file unless capture mode took it.
  #take(raw: Buffer, captured: boolean): void {
    const data = this.#transform === null ? raw : this.#transform(raw);
    this.#onOutput?.(data);
    if (captured) return;
    this.#syslog?.push(data);
    if (this.#format === null) this.#push(data);
    else this.#formatted(data);
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
    if (this.#file !== null) this.#write(this.#file, chunks);
    if (this.#listeners.size === 0) return;
    const copies = chunks.map((chunk) => Buffer.from(chunk));
    for (const listener of [...this.#listeners]) {
      for (const chunk of copies) listener(chunk);
    }
  }

  // One mark per flush; the size before is only needed (a stat when the file is closed) when the
  // marks must start over.
  #write(file: RotatingFile, chunks: readonly Buffer[]): void {
    const before = file.rotations + this.#replaced;
    const sizeBefore = before === this.#arrivals.generation ? 0 : file.size;
    file.write(chunks);
    const after = file.rotations + this.#replaced;
    if (after !== this.#arrivals.generation) this.#arrivals.restart(after, after === before ? sizeBefore : 0);
    this.#arrivals.record(this.#queue.stamp(), file.size);
  }

  /** The last lines of the file (optionally only those since a time), each with when it arrived. */
  recentLines(query: StampedQuery): StampedLine[] {
    this.flush();
    const file = this.#file;
    if (file === null || this.path === null) return [];
    const generation = file.rotations + this.#replaced;
    if (generation !== this.#arrivals.generation) this.#arrivals.restart(generation, file.size);
    return readStamped(this.path, this.#arrivals, query);
  }

  subscribe(listener: ChunkListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Reads a child's pipe (its stream, or its bare descriptor, which the channel then owns) into
   * this channel; resolves when the pipe has reached its end.
   */
  attach(pipe: Readable | number, pid = 0): Promise<void> {
    this.#capture?.reset();
    this.#format?.reset(pid);
    const ended = readPipe(pipe, this.#queue.scratch, this);
    if (this.#capture === null && this.#format === null && this.#syslog === null) return ended;
    return ended.then(() => {
      this.#capture?.end();
      this.#syslog?.end();
      this.#endFormat();
    });
  }

  #endFormat(): void {
    if (this.#format === null) return;
    this.#beginOut();
    this.#format.end(this.#out);
    this.#commitOut();
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
    this.#replaced += 1;
  }

  clear(): void {
    this.flush();
    this.#file?.clear();
    this.#replaced += 1;
  }

  close(): void {
    this.flush();
    this.#file?.close();
    this.#listeners.clear();
  }
}
