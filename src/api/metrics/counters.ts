import type { EventBus, EventType, RestartReason } from '../../events/index.js';
import { EVENT_TYPES } from '../../events/index.js';

// The counters /metrics reports, kept by observing the supervisor's bus from the daemon's start:
// metrics add no path of their own into the lifecycle. Each counter starts at 0 for every label
// value known in advance (restart reasons, event types), so Prometheus's increase() sees the first
// one; exit statuses appear as they happen.

const REASONS = { crash: 0, health: 0, watchdog: 0, memory: 0, cron: 0, operator: 0 } satisfies Record<
  RestartReason,
  0
>;

export const RESTART_REASONS = Object.keys(REASONS) as readonly RestartReason[];

/** What the bus told about one process since it was added. */
export interface ProcessCounts {
  readonly restarts: Map<RestartReason, number>;
  /** Exits from RUNNING, by exit status. */
  readonly exits: Map<number, number>;
  startFailures: number;
  /** From spawn to ready, the last time it became ready. */
  startupSeconds: number | null;
}

const bump = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

export class EventCounters {
  /** By group, then process name. */
  readonly #groups = new Map<string, Map<string, ProcessCounts>>();
  readonly #events = new Map<EventType, number>(EVENT_TYPES.map((t) => [t, 0]));
  readonly #off: (() => void)[];

  constructor(bus: EventBus) {
    this.#off = [
      bus.tap((event) => {
        bump(this.#events, event.type);
      }),
      bus.on('PROCESS_RESTART', (e) => {
        bump(this.#of(e).restarts, e.reason);
      }),
      bus.on('PROCESS_STATE_EXITED', (e) => {
        bump(this.#of(e).exits, e.exitStatus ?? -1);
      }),
      bus.on('PROCESS_STATE_BACKOFF', (e) => {
        this.#of(e).startFailures += 1;
      }),
      bus.on('PROCESS_READY', (e) => {
        this.#of(e).startupSeconds = e.startupMs / 1000;
      }),
      // A removed group's processes take their counts along: names that come and go across
      // reloads must not grow the map without end. A group added again starts from 0 (a reset).
      bus.on('PROCESS_GROUP_REMOVED', (e) => {
        this.#groups.delete(e.group);
      }),
    ];
  }

  /** The counts of one process (zeros when nothing has happened to it). */
  process(group: string, name: string): ProcessCounts {
    return this.#of({ group, name });
  }

  /** Events published, by type. */
  get events(): ReadonlyMap<EventType, number> {
    return this.#events;
  }

  close(): void {
    for (const off of this.#off) off();
  }

  #of(ref: { readonly group: string; readonly name: string }): ProcessCounts {
    let group = this.#groups.get(ref.group);
    if (group === undefined) {
      group = new Map();
      this.#groups.set(ref.group, group);
    }
    let counts = group.get(ref.name);
    if (counts === undefined) {
      counts = {
        restarts: new Map(RESTART_REASONS.map((r) => [r, 0])),
        exits: new Map(),
        startFailures: 0,
        startupSeconds: null,
      };
      group.set(ref.name, counts);
    }
    return counts;
  }
}
