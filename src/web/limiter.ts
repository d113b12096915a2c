// Failed logins slow the next ones: per client address and per account name (whether or not the
// account exists, so the limiter tells nothing about which names are real). After `free` failures
// within the window the next attempt must wait, after each further failure, doubling up to `maxDelayMs`; a success clears
// the account's count (not the address's: one right password must not reset a guesser). Entries
// are bounded: the oldest are forgotten first.

export interface LimiterOptions {
  readonly now: () => number;
  /** Failures allowed before delays begin. */
  readonly free: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Failures older than this are forgotten. */
  readonly windowMs: number;
  readonly maxEntries?: number;
}

interface Entry {
  failures: number;
  last: number;
  blockedUntil: number;
}

export class FailureLimiter {
  readonly #entries = new Map<string, Entry>();
  readonly #o: LimiterOptions;

  constructor(options: LimiterOptions) {
    this.#o = options;
  }

  /** Milliseconds to wait before `key` may try again; 0 when it may now. */
  retryAfter(key: string): number {
    const e = this.#live(key);
    return e === null ? 0 : Math.max(0, e.blockedUntil - this.#o.now());
  }

  fail(key: string): void {
    const now = this.#o.now();
    const e = this.#live(key) ?? { failures: 0, last: now, blockedUntil: 0 };
    e.failures += 1;
    e.last = now;
    const over = e.failures - this.#o.free;
    if (over >= 0) e.blockedUntil = now + Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** over);
    this.#entries.delete(key);
    this.#entries.set(key, e);
    const max = this.#o.maxEntries ?? 10_000;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= max) break;
      this.#entries.delete(oldest);
    }
  }

  clear(key: string): void {
    this.#entries.delete(key);
  }

  #live(key: string): Entry | null {
    const e = this.#entries.get(key);
    if (e === undefined) return null;
    if (this.#o.now() - e.last > this.#o.windowMs && this.#o.now() >= e.blockedUntil) {
      this.#entries.delete(key);
      return null;
    }
    return e;
  }
}
