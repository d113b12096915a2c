import { HOLD_PER_FILE, HOLD_TOTAL, LINE_MAX } from './bounds.js';

// What a log file keeps in memory while it cannot be written. It is bounded, and when it is full
// it drops its *oldest* whole lines: once the disk has room again the file gets the newest
// output (what explains the failure), and the point where bytes went missing is one line
// boundary, which the file marks with a line saying how much was lost and when.

const NEWLINE = 0x0a;

/** Bytes lost at one point of a log file: what the marker line there reports. */
export interface Loss {
  readonly bytes: number;
  readonly lines: number;
  /** Epoch milliseconds of the first and the last drop. */
  readonly first: number;
  readonly last: number;
}

/** Shared by the holds of one daemon, so that a full disk cannot make them grow without bound. */
export class HoldBudget {
  readonly limit: number;
  used = 0;
  constructor(limit = HOLD_TOTAL) {
    this.limit = limit;
  }
}

export interface HoldOptions {
  /** Bytes this hold may keep (it keeps less when the shared budget runs out, never < LINE_MAX). */
  readonly limit?: number;
  readonly budget?: HoldBudget;
  readonly now: () => number;
}

const countNewlines = (buffer: Buffer): number => {
  let count = 0;
  for (let i = buffer.indexOf(NEWLINE); i >= 0; i = buffer.indexOf(NEWLINE, i + 1)) count++;
  return count;
};

// How many bytes to cut off the front of `chunks` (at least `excess`) so that what remains starts
// a line: through the first newline at or after byte excess - 1. With none, exactly `excess`: the
// rest is one line longer than the hold, kept in part.
const cutPoint = (chunks: readonly Buffer[], excess: number): number => {
  let base = 0;
  for (const chunk of chunks) {
    if (base + chunk.length >= excess) {
      const at = chunk.indexOf(NEWLINE, Math.max(0, excess - 1 - base));
      if (at >= 0) return base + at + 1;
    }
    base += chunk.length;
  }
  return excess;
};

export class Hold {
  readonly #limit: number;
  readonly #budget: HoldBudget;
  readonly #now: () => number;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #loss: { bytes: number; lines: number; first: number; last: number } | null = null;
  readonly #dropped: { bytes: number; lines: number; last: number | null } = {
    bytes: 0,
    lines: 0,
    last: null,
  };

  constructor(options: HoldOptions) {
    this.#limit = options.limit ?? HOLD_PER_FILE;
    this.#budget = options.budget ?? new HoldBudget(this.#limit);
    this.#now = options.now;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** What was dropped since the last marker; null when nothing was. */
  pendingLoss(): Loss | null {
    return this.#loss;
  }

  /** Everything dropped over the hold's life, and when the last drop was (epoch ms). */
  get dropped(): { readonly bytes: number; readonly lines: number; readonly last: number | null } {
    return { ...this.#dropped };
  }

  /** Keeps a copy of `chunk` after what is held, dropping the oldest lines that no longer fit. */
  add(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const allowed = this.#allowed();
    let piece = chunk;
    if (piece.length > allowed) {
      // Everything held is older than this chunk, so it goes first, then the chunk's own front.
      this.#dropFront(this.#bytes);
      const cut = cutPoint([piece], piece.length - allowed);
      this.#lose(piece.subarray(0, cut));
      piece = piece.subarray(cut);
    }
    this.#chunks.push(Buffer.from(piece));
    this.#resize(piece.length);
    const excess = this.#bytes - allowed;
    if (excess > 0) this.#dropFront(cutPoint(this.#chunks, excess));
  }

  /** Hands over everything held (oldest first) and empties the hold. */
  drain(): Buffer[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#resize(-this.#bytes);
    return chunks;
  }

  /** Drops everything held (the file is closed for good). */
  dropAll(): void {
    this.#dropFront(this.#bytes);
  }

  /**
   * Counts bytes lost outside the hold at the same point (the torn start of a line whose rest was
   * dropped, cut from the file): they add to the loss, not to its times.
   */
  addLoss(bytes: number, lines: number): void {
    this.#count(bytes, lines, false);
  }

  /** The loss since the last marker, which the caller has now marked. */
  takeLoss(): Loss | null {
    const loss = this.#loss;
    this.#loss = null;
    return loss;
  }

  #allowed(): number {
    const free = this.#budget.limit - this.#budget.used;
    return Math.min(this.#limit, Math.max(LINE_MAX, this.#bytes + free));
  }

  #dropFront(count: number): void {
    let left = count;
    while (left > 0) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      if (first.length <= left) {
        this.#chunks.shift();
        this.#lose(first);
        left -= first.length;
      } else {
        this.#lose(first.subarray(0, left));
        this.#chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.#resize(left - count);
  }

  #lose(bytes: Buffer): void {
    this.#count(bytes.length, countNewlines(bytes));
  }

  #count(bytes: number, lines: number, stamp = true): void {
    if (bytes === 0) return;
    const now = this.#now();
    this.#loss ??= { bytes: 0, lines: 0, first: now, last: now };
    this.#loss.bytes += bytes;
    this.#loss.lines += lines;
    this.#dropped.bytes += bytes;
    this.#dropped.lines += lines;
    if (!stamp) return;
    this.#loss.last = now;
    this.#dropped.last = now;
  }

  #resize(delta: number): void {
    this.#bytes += delta;
    this.#budget.used += delta;
  }
}
