import type { ServerResponse } from 'node:http';
import { BoundedQueue, MemoryBudget } from '../events/index.js';

// A never-ending response (SSE, a log follower, supervisorctl's tail -f) as a bounded consumer.
// While the client reads, chunks go straight to the socket; once the socket pushes back, they wait
// in a queue bounded per client and by one budget shared by every stream of the daemon. A client
// whose queue overflows is cut: told why (if it still reads), its queue dropped at once, the
// socket destroyed after a short grace. So a client that stops reading costs at most its share
// and never slows what produces the chunks, and closing it gives everything back.

export interface StreamLimits {
  /** Bytes one client may have waiting. */
  readonly perClient: number;
  /** Bytes all clients together may have waiting. */
  readonly budget: MemoryBudget;
}

export const DEFAULT_PER_CLIENT = 1024 * 1024;
export const DEFAULT_STREAM_BUDGET = 32 * 1024 * 1024;

export const streamLimits = (
  perClient = DEFAULT_PER_CLIENT,
  total = DEFAULT_STREAM_BUDGET,
): StreamLimits => ({ perClient, budget: new MemoryBudget(total) });

const GRACE_MS = 2000;

type Chunk = string | Buffer;

export class StreamSink {
  readonly #res: ServerResponse;
  readonly #queue: BoundedQueue<Chunk>;
  readonly #farewell: (why: string) => Chunk;
  readonly #onClose: (() => void)[] = [];
  #open = true;
  #blocked = false;

  /** `farewell` renders the last words of a cut stream in its own format. */
  constructor(res: ServerResponse, limits: StreamLimits, farewell: (why: string) => Chunk) {
    this.#res = res;
    this.#farewell = farewell;
    this.#queue = new BoundedQueue<Chunk>({
      overflow: 'refuse',
      maxBytes: limits.perClient,
      sizeOf: (c) => c.length,
      budget: limits.budget,
    });
    res.on('drain', () => {
      this.#pump();
    });
    res.on('close', () => {
      this.#finish();
    });
  }

  get open(): boolean {
    return this.#open;
  }

  /** Bytes waiting for this client. */
  get queued(): number {
    return this.#queue.bytes;
  }

  /** Runs `fn` once when the stream ends, whichever side ends it. */
  onClose(fn: () => void): void {
    if (this.#open) this.#onClose.push(fn);
    else fn();
  }

  /** Sends a chunk, or queues it; false once the stream is over (cut now if it overflowed). */
  write(chunk: Chunk): boolean {
    if (!this.#open) return false;
    if (!this.#blocked && this.#queue.length === 0) {
      if (!this.#res.write(chunk)) this.#blocked = true;
      return true;
    }
    if (this.#queue.push(chunk)) return true;
    this.cut('this client reads too slowly');
    return false;
  }

  /** Ends the stream from this side, saying why. */
  cut(why: string): void {
    if (!this.#open) return;
    this.#finish();
    // The connection goes too (not back to keep-alive): once the last words are out, or after a
    // grace period for a client that reads nothing at all.
    const socket = this.#res.socket;
    this.#res.end(this.#farewell(why), () => socket?.end());
    setTimeout(() => socket?.destroy(), GRACE_MS).unref();
  }

  #pump(): void {
    this.#blocked = false;
    for (let chunk = this.#queue.shift(); chunk !== undefined; chunk = this.#queue.shift()) {
      if (!this.#res.write(chunk)) {
        this.#blocked = true;
        return;
      }
    }
  }

  #finish(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#queue.clear();
    for (const fn of this.#onClose.splice(0)) fn();
  }
}
