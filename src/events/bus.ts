import { expandTypes, typesOf, type EventType, type EventTypeName, type TypesOf } from './names.js';
import type { EventBody, EventOf, TendEvent } from './types.js';

type Listener = (event: TendEvent) => void;

export interface BusOptions {
  /** Epoch ms for the events' `time` (the supervisor's clock). */
  readonly now?: () => number;
  /** Where a listener that throws is reported. */
  readonly onListenerError?: (error: unknown, event: TendEvent) => void;
}

// The event bus of one supervisor instance (not a module global, unlike supervisord's
// events.callbacks), so tests and reloads never see another instance's events. It stamps every
// event with the instance's next serial number and the time, then hands it to the taps (which
// see everything: the history behind the SSE stream) and to the listeners of its type.
//
// Subscriptions name types the way `events=` does: a parent (PROCESS_STATE) or EVENT stands for
// its children, expanded once at subscription, so emitting is one map lookup; `wants()` tells an
// emitter whether anyone listens, so costly events (PROCESS_LOG) are only built when they are.
// An event emitted by a listener while another is being delivered waits until that delivery is
// over: every observer sees events in serial order. A listener that throws is reported and does
// not stop delivery to the others: one broken subscriber must not break the lifecycle.
export class EventBus {
  readonly #listeners = new Map<EventType, Set<Listener>>();
  readonly #taps = new Set<Listener>();
  readonly #pending: TendEvent[] = [];
  readonly #now: () => number;
  readonly #onListenerError: (error: unknown, event: TendEvent) => void;
  #serial = 0;
  #delivering = false;

  constructor(options: BusOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#onListenerError = options.onListenerError ?? defaultListenerError;
  }

  /** Calls `listener` with every event of `name`'s types; returns the unsubscribe function. */
  on<T extends EventTypeName>(name: T, listener: (event: EventOf<TypesOf<T>>) => void): () => void {
    return this.#add(typesOf(name), listener as Listener);
  }

  /** The same for several names at once (each event is delivered once even if two names cover it). */
  onAny(names: readonly EventTypeName[], listener: Listener): () => void {
    return this.#add([...expandTypes(names)], listener);
  }

  /** Calls `listener` with every event, without counting as interest in any type (see wants). */
  tap(listener: Listener): () => void {
    this.#taps.add(listener);
    return () => this.#taps.delete(listener);
  }

  /** Whether any listener (not a tap) receives events of `type`. */
  wants(type: EventType): boolean {
    return (this.#listeners.get(type)?.size ?? 0) > 0;
  }

  /** The serial the next event will get. */
  get nextSerial(): number {
    return this.#serial;
  }

  /** Stamps the event and delivers it (after the one being delivered, if any); returns it. */
  emit(body: EventBody): TendEvent {
    const event: TendEvent = { ...body, serial: this.#serial++, time: this.#now() };
    this.#pending.push(event);
    if (!this.#delivering) this.#drain();
    return event;
  }

  #drain(): void {
    this.#delivering = true;
    try {
      for (let event = this.#pending.shift(); event !== undefined; event = this.#pending.shift()) {
        this.#deliver(this.#taps, event);
        const set = this.#listeners.get(event.type);
        if (set !== undefined) this.#deliver(set, event);
      }
    } finally {
      this.#delivering = false;
    }
  }

  #deliver(set: ReadonlySet<Listener>, event: TendEvent): void {
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  #add(types: readonly EventType[], listener: Listener): () => void {
    for (const type of types) {
      let set = this.#listeners.get(type);
      if (set === undefined) {
        set = new Set();
        this.#listeners.set(type, set);
      }
      set.add(listener);
    }
    return () => {
      for (const type of types) this.#listeners.get(type)?.delete(listener);
    };
  }
}

const defaultListenerError = (error: unknown, event: TendEvent): void => {
  console.error(`tend: a listener of ${event.type} failed:`, error);
};
