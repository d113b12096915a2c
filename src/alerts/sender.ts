import { randomUUID } from 'node:crypto';
import type { AlertConfig } from '../config/index.js';
import { BoundedQueue, type AlertEvent, type TendEvent } from '../events/index.js';
import type { Clock, LifecycleLog, TimerHandle } from '../process/index.js';
import { MAX_DETAILED, programsOf, summaryOf, type AlertItem, type AlertMessage } from './message.js';
import { selector, type Selector } from './select.js';
import { reasonOf, type Delivery, type Transport } from './transport.js';

// One [alert:x] at work. The supervisor's side only calls offer(), which queues and returns: the
// queue is bounded (the oldest events go first, counted, and the next message says how many),
// and everything after it runs on timers and promises. One message is in flight at a time; the
// events that come meanwhile wait and go together in the next one, so a crash storm becomes a
// few messages, not a flood; and one alert starts at most one message a second, so a restart
// loop costs the daemon a message a second, not one per crash. batch_seconds holds the first event of a message that long to
// gather more (superlance's fatalmailbatch). A failed attempt is retried after 1 s, 2 s, 4 s…
// (up to 60 s), `retries` times; then the message is given up: logged with what it said, counted,
// and published as ALERT_FAILED.

/** Events an alert holds at most while it cannot send. */
export const QUEUE_LIMIT = 1000;
const FIRST_RETRY_MS = 1000;
/** The shortest time between the starts of two messages of one alert. */
export const MIN_GAP_MS = 1000;
const MAX_RETRY_MS = 60_000;

/** What an alert has done since the daemon started; kept across reloads that change it. */
export interface AlertStats {
  /** Events accepted (matched the alert). */
  events: number;
  /** Messages delivered, test messages included. */
  sent: number;
  /** Messages given up after every retry. */
  failed: number;
  /** Failed attempts that were tried again. */
  retries: number;
  /** Events dropped because the queue was full. */
  dropped: number;
  lastError: string | null;
  /** Epoch ms. */
  lastSentAt: number | null;
  lastFailedAt: number | null;
}

export const emptyStats = (): AlertStats => ({
  events: 0,
  sent: 0,
  failed: 0,
  retries: 0,
  dropped: 0,
  lastError: null,
  lastSentAt: null,
  lastFailedAt: null,
});

export interface SenderDeps {
  readonly clock: Clock;
  readonly transport: Transport;
  readonly log: LifecycleLog;
  /** Publishes ALERT_SENT / ALERT_FAILED on the bus. */
  readonly publish: (event: AlertEvent) => void;
  readonly host: string;
  readonly stats: AlertStats;
}

interface Pending {
  readonly event: TendEvent;
  readonly stderr: Promise<string | null> | null;
}

export class AlertSender {
  readonly config: AlertConfig;
  readonly selector: Selector;
  readonly #deps: SenderDeps;
  readonly #queue: BoundedQueue<Pending>;
  #droppedSinceLast = 0;
  #batch: TimerHandle | null = null;
  #retry: { timer: TimerHandle; delivery: Delivery } | null = null;
  #busy = false;
  #hurry = false;
  /** When the last message was started (clock ms), for MIN_GAP_MS. */
  #lastStart = -Infinity;
  #idle: (() => void)[] = [];

  constructor(config: AlertConfig, deps: SenderDeps) {
    this.config = config;
    this.selector = selector(config);
    this.#deps = deps;
    this.#queue = new BoundedQueue<Pending>({
      overflow: 'drop-oldest',
      maxItems: QUEUE_LIMIT,
      onDrop: () => {
        this.#dropped();
      },
    });
  }

  get stats(): AlertStats {
    return this.#deps.stats;
  }

  get queued(): number {
    return this.#queue.length;
  }

  get via(): 'webhook' | 'mail' {
    return this.config.target.kind;
  }

  /** Queues an event; `stderr` is asked for only when the event will be detailed. */
  offer(event: TendEvent, stderr: () => Promise<string | null>): void {
    this.stats.events += 1;
    const detailed = this.#queue.length < MAX_DETAILED && this.config.stderrLines > 0;
    this.#queue.push({ event, stderr: detailed ? stderr().catch(() => null) : null });
    this.#schedule();
  }

  /** Sends a test message now, once (no retries): resolves when delivered, throws the reason. */
  async test(): Promise<void> {
    const message = this.#message([], 0, 0, true);
    const delivery = { id: randomUUID(), message, attempt: 1 };
    try {
      await this.#deps.transport(delivery);
    } catch (error) {
      this.#gaveUp(delivery, reasonOf(error));
      throw error;
    }
    this.#delivered(delivery);
  }

  /**
   * From now on sends without waiting for batches or retry delays (shutdown, or a reload that
   * replaced this alert); resolves once nothing is queued or in flight.
   */
  drain(): Promise<void> {
    this.#hurry = true;
    if (this.#batch !== null) {
      this.#batch.cancel();
      this.#batch = null;
    }
    if (this.#retry !== null) {
      const { timer, delivery } = this.#retry;
      timer.cancel();
      this.#retry = null;
      this.#attempt({ ...delivery, attempt: delivery.attempt + 1 });
    }
    this.#schedule();
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops for good: what is still queued or in flight is logged as lost. */
  close(): void {
    this.#batch?.cancel();
    this.#retry?.timer.cancel();
    const lost = this.#queue.length + (this.#busy ? 1 : 0);
    this.#queue.clear();
    if (lost > 0) {
      this.#deps.log(
        'error',
        `alert ${this.config.name}: the daemon stopped before ${lost} queued events or messages were delivered`,
      );
    }
  }

  #isIdle(): boolean {
    return !this.#busy && this.#queue.length === 0 && this.#batch === null;
  }

  #dropped(): void {
    this.stats.dropped += 1;
    if (this.#droppedSinceLast === 0) {
      this.#deps.log(
        'warn',
        `alert ${this.config.name}: ${QUEUE_LIMIT} events wait to be sent; dropping the oldest (the next message counts them)`,
      );
    }
    this.#droppedSinceLast += 1;
  }

  #schedule(): void {
    if (this.#busy || this.#batch !== null || this.#queue.length === 0) return;
    const gap = this.#lastStart + MIN_GAP_MS - this.#deps.clock.now();
    const delay = this.#hurry ? 0 : Math.max(this.config.batchSeconds * 1000, gap, 0);
    this.#batch = this.#deps.clock.setTimer(delay, () => {
      this.#batch = null;
      void this.#sendQueued();
    });
  }

  async #sendQueued(): Promise<void> {
    const taken: Pending[] = [];
    let more = 0;
    for (let p = this.#queue.shift(); p !== undefined; p = this.#queue.shift()) {
      if (taken.length < MAX_DETAILED) taken.push(p);
      else more += 1;
    }
    if (taken.length === 0) return;
    const dropped = this.#droppedSinceLast;
    this.#droppedSinceLast = 0;
    this.#busy = true;
    this.#lastStart = this.#deps.clock.now();
    const items: AlertItem[] = await Promise.all(
      taken.map(async (p) => ({ event: p.event, stderr: p.stderr === null ? null : await p.stderr })),
    );
    const message = this.#message(items, more, dropped, false);
    this.#attempt({ id: randomUUID(), message, attempt: 1 });
  }

  #message(items: AlertItem[], more: number, dropped: number, test: boolean): AlertMessage {
    const { host, clock } = this.#deps;
    return { alert: this.config.name, host, test, items, more, dropped, createdAt: clock.now() };
  }

  #attempt(delivery: Delivery): void {
    this.#deps.transport(delivery).then(
      () => {
        this.#delivered(delivery);
        this.#finish();
      },
      (error: unknown) => {
        this.#failedAttempt(delivery, reasonOf(error));
      },
    );
  }

  #failedAttempt(delivery: Delivery, reason: string): void {
    this.stats.lastError = reason;
    if (delivery.attempt > this.config.retries) {
      this.#gaveUp(delivery, reason);
      this.#finish();
      return;
    }
    this.stats.retries += 1;
    const delay = this.#hurry ? 0 : Math.min(FIRST_RETRY_MS * 2 ** (delivery.attempt - 1), MAX_RETRY_MS);
    this.#deps.log(
      'warn',
      `alert ${this.config.name}: ${this.via} delivery failed (${reason}); attempt ${delivery.attempt + 1} of ${this.config.retries + 1} in ${delay / 1000}s`,
    );
    const timer = this.#deps.clock.setTimer(delay, () => {
      this.#retry = null;
      this.#attempt({ ...delivery, attempt: delivery.attempt + 1 });
    });
    this.#retry = { timer, delivery };
  }

  #finish(): void {
    this.#busy = false;
    this.#schedule();
    if (!this.#isIdle()) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #delivered(delivery: Delivery): void {
    const m = delivery.message;
    this.stats.sent += 1;
    this.stats.lastSentAt = this.#deps.clock.now();
    this.#deps.log('info', `alert ${this.config.name}: sent by ${this.via}: ${summaryOf(m)}`);
    this.#deps.publish(this.#event('ALERT_SENT', delivery, null));
  }

  #gaveUp(delivery: Delivery, reason: string): void {
    this.stats.failed += 1;
    this.stats.lastError = reason;
    this.stats.lastFailedAt = this.#deps.clock.now();
    const n = delivery.attempt;
    this.#deps.log(
      'error',
      `alert ${this.config.name}: could not deliver by ${this.via} after ${n} attempt${n === 1 ? '' : 's'} (${reason}); lost: ${summaryOf(delivery.message)}`,
    );
    this.#deps.publish(this.#event('ALERT_FAILED', delivery, reason));
  }

  #event(type: AlertEvent['type'], delivery: Delivery, error: string | null): AlertEvent {
    const m = delivery.message;
    return {
      type,
      alert: this.config.name,
      via: this.via,
      events: m.items.length + m.more,
      programs: programsOf(m),
      attempts: delivery.attempt,
      error,
    };
  }
}
