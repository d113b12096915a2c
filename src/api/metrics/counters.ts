import type { EventBus, EventType, RestartReason } from '../../events/index.js';
import { EVENT_TYPES } from '../../events/index.js';

// The counters /metrics reports, kept by observing the supervisor's bus from the daemon's start:
// metrics add no path of their own into the lifecycle. Each counter starts at 0 for every label
// value known in advance (restart reasons, event types), so Prometheus's increase() sees the first
// one; exit statuses appear as they happen.
//
// A process's counts belong to its entry in the supervisor (the object `owner` finds for its
// group and name when an event arrives), held weakly: they live as long as that entry, so a
// process removed by a reload takes its counts along, and one whose section changed (a new
// entry) starts again from 0, which Prometheus reads as a counter reset.

const REASONS = { crash: 0, health: 0, watchdog: 0, memory: 0, cron: 0, operator: 0 } satisfies Record<
  RestartReason,
  0
>;

export const RESTART_REASONS = Object.keys(REASONS) as readonly RestartReason[];

/** What the bus told about one process since its entry was made. */
export interface ProcessCounts {
  readonly restarts: Map<RestartReason, number>;
  /** Exits from RUNNING, by exit status. */
  readonly exits: Map<number, number>;
  startFailures: number;
  /** From spawn to ready, the last time it became ready. */
  startupSeconds: number | null;
}

/** The supervisor's entry of a process (any object that lives exactly as long), or undefined. */
export type OwnerOf = (group: string, name: string) => object | undefined;

const bump = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

const zeros = (): ProcessCounts => ({
  restarts: new Map(RESTART_REASONS.map((r) => [r, 0])),
  exits: new Map(),
  startFailures: 0,
  startupSeconds: null,
});

export class EventCounters {
  readonly #processes = new WeakMap<object, ProcessCounts>();
  readonly #events = new Map<EventType, number>(EVENT_TYPES.map((t) => [t, 0]));
  readonly #owner: OwnerOf;
  readonly #off: (() => void)[];

  constructor(bus: EventBus, owner: OwnerOf) {
    this.#owner = owner;
    this.#off = [
      bus.tap((event) => {
        bump(this.#events, event.type);
      }),
      bus.on('PROCESS_RESTART', (e) => {
        this.#count(e, (c) => {
          bump(c.restarts, e.reason);
        });
      }),
      bus.on('PROCESS_STATE_EXITED', (e) => {
        this.#count(e, (c) => {
          bump(c.exits, e.exitStatus ?? -1);
        });
      }),
      bus.on('PROCESS_STATE_BACKOFF', (e) => {
        this.#count(e, (c) => (c.startFailures += 1));
      }),
      bus.on('PROCESS_READY', (e) => {
        this.#count(e, (c) => (c.startupSeconds = e.startupMs / 1000));
      }),
    ];
  }

  #count(ref: { readonly group: string; readonly name: string }, apply: (c: ProcessCounts) => void): void {
    const owned = this.#owner(ref.group, ref.name);
    if (owned !== undefined) apply(this.of(owned));
  }

  /** The counts of the process whose entry is `owner` (zeros when nothing has happened to it). */
  of(owner: object): ProcessCounts {
    let counts = this.#processes.get(owner);
    if (counts === undefined) {
      counts = zeros();
      this.#processes.set(owner, counts);
    }
    return counts;
  }

  /** Events published, by type. */
  get events(): ReadonlyMap<EventType, number> {
    return this.#events;
  }

  close(): void {
    for (const off of this.#off) off();
  }
}
