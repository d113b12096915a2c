import type { EventListenerConfig } from '../config/types.js';
import { BoundedQueue, envelope, payloadOf, type EventBus, type TendEvent } from '../events/index.js';
import type { LifecycleLog } from '../process/index.js';

// One [eventlistener:x] pool (process.py EventListenerPool): it subscribes to its `events=` on
// the bus, numbers what it accepts (poolserial), holds it in a buffer of buffer_size (the oldest
// dropped with supervisord's error line when full), and hands the oldest event to the first
// listener of the pool that is RUNNING and READY. An event a listener rejects, or was working on
// when it died, comes back to the front of the buffer. Nothing here ever waits on a listener.

/** An event as a pool holds it. */
export interface PoolEvent {
  readonly event: TendEvent;
  readonly poolSerial: number;
  readonly pool: ListenerPool;
}

/** A listener process of the pool, as the pool sees it (listener-link.ts). */
export interface PoolMember {
  readonly name: string;
  /** RUNNING and READY. */
  readonly ready: boolean;
  /** Writes the event to the listener; false when its stdin is gone (the next one is tried). */
  send(item: PoolEvent, text: string): boolean;
}

export interface PoolDeps {
  readonly bus: EventBus;
  readonly log: LifecycleLog;
  /** [supervisord] identifier: the `server:` of every header. */
  readonly server: string;
  /** The pool's processes, in config order. */
  readonly members: () => Iterable<PoolMember>;
}

export class ListenerPool {
  readonly name: string;
  readonly config: EventListenerConfig;
  readonly #deps: PoolDeps;
  readonly #queue: BoundedQueue<PoolEvent>;
  readonly #unsubscribe: () => void;
  #serial = 0;
  #scheduled = false;
  #closed = false;

  constructor(name: string, config: EventListenerConfig, deps: PoolDeps) {
    this.name = name;
    this.config = config;
    this.#deps = deps;
    this.#queue = new BoundedQueue<PoolEvent>({
      overflow: 'drop-oldest',
      maxItems: config.bufferSize,
      onDrop: (item) => {
        deps.log('error', `pool ${name} event buffer overflowed, discarding event ${item.event.serial}`);
      },
    });
    this.#unsubscribe = deps.bus.onAny(config.events, (event) => {
      this.#accept({ event, poolSerial: this.#serial++, pool: this });
    });
  }

  /** Events waiting for a listener. */
  get buffered(): number {
    return this.#queue.length;
  }

  /** Events dropped because the buffer was full. */
  get dropped(): number {
    return this.#queue.dropped;
  }

  /** An event a listener rejected or did not finish: back to the front of the buffer. */
  rebuffer(item: PoolEvent): void {
    if (this.#closed) return;
    this.#deps.log(
      'debug',
      `rebuffering event ${item.event.serial} for pool ${this.name} (buf size=${this.#queue.length}, max=${this.config.bufferSize})`,
    );
    this.#queue.unshift(item);
    this.dispatchSoon();
  }

  /** Something changed (an event, a listener READY or RUNNING): dispatch once the current work is done. */
  dispatchSoon(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#dispatch();
    });
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    this.#queue.clear();
  }

  #accept(item: PoolEvent): void {
    this.#queue.push(item);
    this.dispatchSoon();
  }

  #dispatch(): void {
    for (let item = this.#queue.peek(); item !== undefined && !this.#closed; item = this.#queue.peek()) {
      if (!this.#sendToOne(item)) return;
      this.#queue.shift();
    }
  }

  // _dispatchEvent: the first listener that is RUNNING and READY gets it; one whose stdin is gone
  // is passed over (supervisord's EPIPE case), its state unchanged.
  #sendToOne(item: PoolEvent): boolean {
    for (const member of this.#deps.members()) {
      if (!member.ready) continue;
      const text = envelope({
        server: this.#deps.server,
        serial: item.event.serial,
        pool: this.name,
        poolSerial: item.poolSerial,
        type: item.event.type,
        payload: payloadOf(item.event),
      });
      if (!member.send(item, text)) {
        this.#deps.log(
          'debug',
          `epipe occurred while sending event ${item.event.serial} to listener ${member.name}, listener state unchanged`,
        );
        continue;
      }
      this.#deps.log('debug', `event ${item.event.serial} sent to listener ${member.name}`);
      return true;
    }
    return false;
  }
}
