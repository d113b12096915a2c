import { randomBytes } from 'node:crypto';
import type { EventBus, EventHistory, TendEvent } from '../../events/index.js';

// What every SSE client of one daemon shares: the supervisor's bus and the history it resumes
// from, the instance id that makes event ids unique across daemon restarts, the count of clients
// against their limit, and each event's frame, serialized once however many clients receive it.

export const DEFAULT_MAX_CLIENTS = 256;

export class EventHub {
  readonly bus: EventBus;
  readonly history: EventHistory;
  /** Changes with every daemon start: a Last-Event-ID from another instance cannot resume. */
  readonly instance = randomBytes(4).toString('hex');
  readonly maxClients: number;
  clients = 0;
  readonly #frames = new WeakMap<TendEvent, string>();

  constructor(bus: EventBus, history: EventHistory, maxClients = DEFAULT_MAX_CLIENTS) {
    this.bus = bus;
    this.history = history;
    this.maxClients = maxClients;
  }

  /** The id an event has in the stream: `INSTANCE-SERIAL`. */
  idOf(serial: number): string {
    return `${this.instance}-${serial}`;
  }

  /** The SSE frame of an event: its type, id and JSON. */
  frame(event: TendEvent): string {
    let text = this.#frames.get(event);
    if (text === undefined) {
      text = `event: ${event.type}\nid: ${this.idOf(event.serial)}\ndata: ${JSON.stringify(event)}\n\n`;
      this.#frames.set(event, text);
    }
    return text;
  }
}
