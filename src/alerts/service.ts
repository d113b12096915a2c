import type { AlertSummary } from '../protocol/check-report.js';
import { hostname } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { AlertConfig } from '../config/index.js';
import { TendError } from '../errors/index.js';
import type { EventBus, TendEvent } from '../events/index.js';
import type { Clock, LifecycleLog } from '../process/index.js';
import { mailTransport } from './mail.js';
import { AlertSender, emptyStats, type AlertStats } from './sender.js';
import { programOf } from './select.js';
import { lastLines } from './stderr.js';
import type { Transport } from './transport.js';
import { webhookTransport } from './webhook.js';

// The [alert:x] sections at work: an observer of the supervisor's bus, like the SSE stream. It
// taps the bus (every event, in serial order) and hands each to the alerts that want it; it also
// subscribes to their types without a handler, so events that are only built when someone wants
// them (PROCESS_LOG_*) are built. The alerts follow the config in force: when a reload changes
// it, an alert whose section is unchanged keeps its queue, a changed one sends what it holds and
// is replaced, and the counters of a name go on.

export interface AlertServiceDeps {
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly log: LifecycleLog;
  /** The alerts of the config in force; read again whenever it is another array. */
  readonly alerts: () => readonly AlertConfig[];
  /** The file that holds a program's stderr (its stdout log with redirect_stderr), or null. */
  readonly stderrFile: (namespec: string) => string | null;
  readonly host?: string;
  /** How messages leave (tests); the default posts webhooks and sends mail. */
  readonly transportFor?: (alert: AlertConfig) => Transport;
}

/** One alert as the API shows it: what tend check shows, and what it has done. */
export interface AlertStatus extends AlertSummary {
  readonly queued: number;
  readonly stats: AlertStats;
}

// The loader gives every mail target its settings; an alert without them is a programming error.
const defaultTransport =
  (now: () => number) =>
  (alert: AlertConfig): Transport => {
    const { target, mail } = alert;
    if (target.kind === 'webhook') return webhookTransport(alert, target.url, now);
    if (mail === null) throw new TypeError(`[alert:${alert.name}] sends mail without mail settings`);
    return mailTransport(alert, target, mail);
  };

/** A webhook URL often carries its token in the path (Slack, Discord): show the origin only. */
export const targetText = (alert: AlertConfig): string => {
  const t = alert.target;
  if (t.kind === 'webhook') return `${new URL(t.url).origin}/…`;
  return `${t.secure ? 'smtps' : 'smtp'}://${t.host}:${t.port} to ${alert.mail?.to.join(', ') ?? ''}`;
};

export class AlertService {
  readonly #deps: AlertServiceDeps;
  readonly #transportFor: (alert: AlertConfig) => Transport;
  readonly #host: string;
  readonly #stats = new Map<string, AlertStats>();
  #senders = new Map<string, AlertSender>();
  #seen: readonly AlertConfig[] | null = null;
  #interest: () => void = () => undefined;
  readonly #untap: () => void;

  constructor(deps: AlertServiceDeps) {
    this.#deps = deps;
    this.#host = deps.host ?? hostname();
    this.#transportFor = deps.transportFor ?? defaultTransport(() => deps.clock.now());
    this.sync();
    this.#untap = deps.bus.tap((event) => {
      this.#observe(event);
    });
  }

  /** Follows the config in force (cheap when it has not changed). */
  sync(): void {
    const alerts = this.#deps.alerts();
    if (alerts === this.#seen) return;
    this.#seen = alerts;
    const next = new Map<string, AlertSender>();
    for (const config of alerts) {
      const old = this.#senders.get(config.name);
      next.set(
        config.name,
        old !== undefined && isDeepStrictEqual(old.config, config) ? old : this.#sender(config),
      );
    }
    for (const [name, old] of this.#senders) {
      if (next.get(name) !== old) void old.drain();
    }
    this.#senders = next;
    this.#interest();
    const types = [...new Set([...next.values()].flatMap((s) => [...s.selector.types]))];
    this.#interest = types.length === 0 ? () => undefined : this.#deps.bus.onAny(types, () => undefined);
  }

  status(): AlertStatus[] {
    this.sync();
    return [...this.#senders.values()].map((s) => ({
      name: s.config.name,
      via: s.via,
      target: targetText(s.config),
      events: s.config.events,
      programs: s.config.programs,
      batchSeconds: s.config.batchSeconds,
      queued: s.queued,
      stats: { ...s.stats },
    }));
  }

  /** `tend alert test NAME`: one message now; NOT_FOUND for an unknown name, ALERT_DELIVERY when it fails. */
  async test(name: string): Promise<AlertStatus> {
    this.sync();
    const sender = this.#senders.get(name);
    if (sender === undefined) {
      const known = [...this.#senders.keys()].join(', ');
      throw new TendError('NOT_FOUND', `no [alert:${name}] in the config in force`, {
        hint: known === '' ? 'the config has no [alert:x] section' : `alerts: ${known}`,
      });
    }
    try {
      await sender.test();
    } catch (error) {
      const reason = sender.stats.lastError ?? String(error);
      throw new TendError('ALERT_DELIVERY', `[alert:${name}] could not deliver by ${sender.via}: ${reason}`, {
        cause: error,
      });
    }
    return this.status().find((s) => s.name === name) as AlertStatus;
  }

  /** Shutdown: sends what is queued without waiting for batches; gives up after `timeoutMs`. */
  async close(timeoutMs: number): Promise<void> {
    this.#untap();
    this.#interest();
    const senders = [...this.#senders.values()];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(senders.map((s) => s.drain())), deadline]);
    clearTimeout(timer);
    for (const s of senders) s.close();
  }

  #sender(config: AlertConfig): AlertSender {
    let stats = this.#stats.get(config.name);
    if (stats === undefined) {
      stats = emptyStats();
      this.#stats.set(config.name, stats);
    }
    return new AlertSender(config, {
      clock: this.#deps.clock,
      transport: this.#transportFor(config),
      log: this.#deps.log,
      publish: (event) => this.#deps.bus.emit(event),
      host: this.#host,
      stats,
    });
  }

  #observe(event: TendEvent): void {
    this.sync();
    for (const sender of this.#senders.values()) {
      if (!sender.selector.selects(event)) continue;
      sender.offer(event, () => this.#stderr(event, sender.config.stderrLines));
    }
  }

  #stderr(event: TendEvent, lines: number): Promise<string | null> {
    const program = programOf(event);
    const file = program === null ? null : this.#deps.stderrFile(program);
    return file === null ? Promise.resolve(null) : lastLines(file, lines);
  }
}
