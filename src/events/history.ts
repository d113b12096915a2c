import type { TendEvent } from './types.js';

// The recent events of one supervisor instance, for SSE clients that reconnect with
// Last-Event-ID. Bounded by count and by the bytes of output it holds (PROCESS_LOG events carry
// output), the oldest going first. It remembers the highest serial it has let go, so a resume
// from before that is answered with an explicit gap, never silently. Ticks are not kept: they
// say only that time passed, and a day of TICK_5 would push everything else out.

export interface HistoryLimits {
  readonly maxEvents: number;
  /** Bytes of event data (output, messages) kept at most. */
  readonly maxBytes: number;
}

export const DEFAULT_HISTORY: HistoryLimits = { maxEvents: 4096, maxBytes: 4 * 1024 * 1024 };

/** What a resume after `serial` gets: the events since, and whether some were let go. */
export interface Resume {
  readonly events: readonly TendEvent[];
  /** The serials that are no longer kept, when the resume needed them (inclusive range). */
  readonly lost: { readonly from: number; readonly to: number } | null;
}

const FIXED_COST = 256;

/** What an event costs the history: a fixed part plus the text it carries. */
export const eventCost = (event: TendEvent): number =>
  FIXED_COST + ('data' in event ? event.data.length : 0) + ('spawnerr' in event ? event.spawnerr.length : 0);

export class EventHistory {
  readonly #limits: HistoryLimits;
  #events: TendEvent[] = [];
  #head = 0;
  #bytes = 0;
  /** The highest serial let go, -1 while nothing was. */
  #lostThrough = -1;

  constructor(limits: HistoryLimits = DEFAULT_HISTORY) {
    this.#limits = limits;
  }

  record(event: TendEvent): void {
    if (event.type.startsWith('TICK_')) return;
    this.#events.push(event);
    this.#bytes += eventCost(event);
    while (this.size > this.#limits.maxEvents || (this.#bytes > this.#limits.maxBytes && this.size > 1)) {
      this.#dropOldest();
    }
  }

  get size(): number {
    return this.#events.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Everything kept, oldest first. */
  all(): TendEvent[] {
    return this.#events.slice(this.#head);
  }

  /** The events after `serial` (those with a higher serial), and the part of them that is gone. */
  since(serial: number): Resume {
    const kept = this.all();
    const first = lowerBound(kept, serial + 1);
    const lost = serial < this.#lostThrough ? { from: serial + 1, to: this.#lostThrough } : null;
    return { events: kept.slice(first), lost };
  }

  /** Everything kept, with the serials before it that are gone (a client that cannot resume). */
  fromStart(): Resume {
    const lost = this.#lostThrough < 0 ? null : { from: 0, to: this.#lostThrough };
    return { events: this.all(), lost };
  }

  #dropOldest(): void {
    const event = this.#events[this.#head];
    if (event === undefined) return;
    this.#head += 1;
    this.#bytes -= eventCost(event);
    this.#lostThrough = event.serial;
    // Compact now and then so the array does not grow without end.
    if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }
}

const lowerBound = (events: readonly TendEvent[], serial: number): number => {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid]?.serial ?? Infinity) < serial) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
