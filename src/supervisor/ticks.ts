import type { EventBus } from '../events/index.js';
import type { Clock, TimerHandle } from '../process/index.js';

// TICK_5, TICK_60 and TICK_3600 (supervisord.py tick()): each fires when its period's boundary is
// crossed, with `when` the start of the new period in epoch seconds, the shorter periods first;
// none at start-up. A timer waits for the next 5-second boundary instead of polling. Ticks that
// no one subscribes to are not emitted: they would only use up serial numbers.

const PERIODS = [
  [5, 'TICK_5'],
  [60, 'TICK_60'],
  [3600, 'TICK_3600'],
] as const;

const slice = (period: number, seconds: number): number => Math.floor(seconds - (seconds % period));

export class Ticks {
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #last = new Map<number, number>();
  #timer: TimerHandle | null = null;

  constructor(bus: EventBus, clock: Clock) {
    this.#bus = bus;
    this.#clock = clock;
  }

  /** Starts ticking (again after a restart: it keeps its periods). */
  start(): void {
    if (this.#timer !== null) return;
    const now = this.#clock.now() / 1000;
    for (const [period] of PERIODS) if (!this.#last.has(period)) this.#last.set(period, slice(period, now));
    this.#arm();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }

  #arm(): void {
    const nowMs = this.#clock.now();
    const next = (slice(5, nowMs / 1000) + 5) * 1000;
    this.#timer = this.#clock.setTimer(next - nowMs, () => {
      this.#tick();
      this.#arm();
    });
  }

  #tick(): void {
    const now = this.#clock.now() / 1000;
    for (const [period, type] of PERIODS) {
      const when = slice(period, now);
      if (when === this.#last.get(period)) continue;
      this.#last.set(period, when);
      if (this.#bus.wants(type)) this.#bus.emit({ type, when });
    }
  }
}
