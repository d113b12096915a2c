// The one bounded queue between the supervisor and anything that consumes at its own pace: an
// event-listener pool (supervisord's event buffer), an SSE client, a log follower, an alert
// sender. The producer never waits: it pushes and returns. What happens when the consumer falls
// behind is the owner's policy: 'drop-oldest' keeps the newest items and counts what it dropped
// (supervisord's listener buffer), 'refuse' makes push() return false so the owner can give up on
// the consumer (a stream client is cut). Queues may also share a MemoryBudget, a bound on the
// bytes all of them hold together, so many slow consumers cannot add up to a big daemon.

export type OverflowPolicy = 'drop-oldest' | 'refuse';

/** A bound on the bytes held by several queues together. */
export class MemoryBudget {
  readonly limit: number;
  #used = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get used(): number {
    return this.#used;
  }

  /** Takes `bytes` from the budget if they fit; false (taking nothing) if they do not. */
  reserve(bytes: number): boolean {
    if (this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }
}

export interface QueueOptions<T> {
  readonly overflow: OverflowPolicy;
  readonly maxItems?: number;
  readonly maxBytes?: number;
  /** The size of an item in bytes (default 0: only maxItems bounds the queue). */
  readonly sizeOf?: (item: T) => number;
  /** Called with each item that 'drop-oldest' lets go. */
  readonly onDrop?: (item: T) => void;
  readonly budget?: MemoryBudget;
}

export class BoundedQueue<T> {
  readonly #options: QueueOptions<T>;
  readonly #maxItems: number;
  readonly #maxBytes: number;
  readonly #sizeOf: (item: T) => number;
  #items: T[] = [];
  #head = 0;
  #bytes = 0;
  #dropped = 0;

  constructor(options: QueueOptions<T>) {
    this.#options = options;
    this.#maxItems = options.maxItems ?? Infinity;
    this.#maxBytes = options.maxBytes ?? Infinity;
    this.#sizeOf = options.sizeOf ?? (() => 0);
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Items dropped by 'drop-oldest' so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Adds at the end; false when the queue refuses it (policy 'refuse' and no room). */
  push(item: T): boolean {
    if (!this.#makeRoom(this.#sizeOf(item))) return false;
    this.#items.push(item);
    return true;
  }

  /**
   * Puts an item back at the front (an event a listener rejected). As supervisord's rebuffering:
   * when the queue is full, the oldest item goes first, then this one takes the front.
   */
  unshift(item: T): boolean {
    if (!this.#makeRoom(this.#sizeOf(item))) return false;
    if (this.#head > 0) this.#items[--this.#head] = item;
    else this.#items.unshift(item);
    return true;
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T;
    this.#head += 1;
    this.#release(this.#sizeOf(item));
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Empties the queue and gives its bytes back to the budget. */
  clear(): void {
    this.#release(this.#bytes);
    this.#items = [];
    this.#head = 0;
  }

  #release(bytes: number): void {
    this.#bytes -= bytes;
    this.#options.budget?.release(bytes);
  }

  #fits(size: number): boolean {
    if (this.length + 1 > this.#maxItems || this.#bytes + size > this.#maxBytes) return false;
    return this.#options.budget?.reserve(size) ?? true;
  }

  // Accounts for an item of `size` bytes: true once it fits (dropping the oldest if that is the
  // policy), false when it is refused. An item bigger than every bound is refused either way.
  #makeRoom(size: number): boolean {
    while (!this.#fits(size)) {
      if (this.#options.overflow === 'refuse' || this.length === 0) return false;
      const oldest = this.shift() as T;
      this.#dropped += 1;
      this.#options.onDrop?.(oldest);
    }
    this.#bytes += size;
    return true;
  }
}
