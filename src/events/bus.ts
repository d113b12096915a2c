import type { EventMap, EventName } from './types.js';

type Listener<K extends EventName> = (event: EventMap[K]) => void;

// The event bus of one supervisor instance (not a module global, unlike supervisord's
// events.callbacks), so tests and reloads never see another instance's events. A listener that
// throws is reported and does not stop delivery to the others: one broken subscriber (an SSE
// client, an event listener pool) must not break the lifecycle that emitted the event.
export class EventBus {
  readonly #listeners = new Map<EventName, Set<Listener<never>>>();
  readonly #onListenerError: (error: unknown, event: EventName) => void;

  constructor(onListenerError: (error: unknown, event: EventName) => void = defaultListenerError) {
    this.#onListenerError = onListenerError;
  }

  on<K extends EventName>(name: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends EventName>(name: K, event: EventMap[K]): void {
    const set = this.#listeners.get(name);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<K>)(event);
      } catch (error) {
        this.#onListenerError(error, name);
      }
    }
  }

  listenerCount(name: EventName): number {
    return this.#listeners.get(name)?.size ?? 0;
  }
}

const defaultListenerError = (error: unknown, event: EventName): void => {
  console.error(`tend: a listener of '${event}' failed:`, error);
};
