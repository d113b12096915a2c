import type { HealthcheckConfig } from '../config/types.js';
import { runProbe, type ProbeContext, type ProbeResult } from './probes.js';
import type { TimerHandle, Timers } from './timers.js';

// `healthcheck = …` while a process is RUNNING: one probe every healthcheck_interval (the next is
// scheduled when the last has answered, so probes never pile up on a slow program). After
// healthcheck_retries failures in a row the monitor reports the program unhealthy once and stops;
// the lifecycle restarts the process group. Failures inside healthcheck_start_period do not count,
// a success there does (Docker's semantics). Changes of health (to healthy, to unhealthy) are
// reported to `onChange`, which publishes them.

export type Health = 'unknown' | 'healthy' | 'unhealthy';

export interface HealthSnapshot {
  readonly health: Health;
  /** Epoch ms of the last completed probe. */
  readonly lastCheck: number | null;
  /** The last failure's detail, kept after later successes. */
  readonly lastError: string | null;
  /** Failures in a row that count toward healthcheck_retries. */
  readonly failures: number;
}

export class HealthMonitor {
  readonly #config: HealthcheckConfig;
  readonly #context: ProbeContext;
  readonly #timers: Timers;
  readonly #onUnhealthy: (reason: string) => void;
  readonly #onChange: (snapshot: HealthSnapshot) => void;
  #snapshot: HealthSnapshot = { health: 'unknown', lastCheck: null, lastError: null, failures: 0 };
  #timer: TimerHandle | null = null;
  #run = 0;
  #startedAt = 0;

  constructor(
    config: HealthcheckConfig,
    context: ProbeContext,
    timers: Timers,
    onUnhealthy: (reason: string) => void,
    onChange: (snapshot: HealthSnapshot) => void = () => undefined,
  ) {
    this.#config = config;
    this.#context = context;
    this.#timers = timers;
    this.#onUnhealthy = onUnhealthy;
    this.#onChange = onChange;
  }

  get snapshot(): HealthSnapshot {
    return this.#snapshot;
  }

  /** Starts checking (the first probe after one interval); restarts the count. */
  start(): void {
    this.stop();
    this.#run += 1;
    this.#startedAt = this.#timers.now();
    this.#snapshot = { ...this.#snapshot, health: 'unknown', failures: 0 };
    this.#schedule(this.#run);
  }

  /** Stops checking; a probe in flight is ignored when it answers. */
  stop(): void {
    this.#run += 1;
    this.#timer?.cancel();
    this.#timer = null;
  }

  #schedule(run: number): void {
    this.#timer = this.#timers.setTimer(this.#config.intervalSecs * 1000, () => {
      this.#timer = null;
      void runProbe(this.#config.probe, this.#context).then((result) => {
        if (run === this.#run) this.#record(run, result);
      });
    });
  }

  #record(run: number, result: ProbeResult): void {
    const now = this.#timers.now();
    if (result.ok) {
      const was = this.#snapshot.health;
      this.#snapshot = { ...this.#snapshot, health: 'healthy', lastCheck: now, failures: 0 };
      if (was !== 'healthy') this.#onChange(this.#snapshot);
      this.#schedule(run);
      return;
    }
    const inStartPeriod = now - this.#startedAt < this.#config.startPeriodSecs * 1000;
    const failures = this.#snapshot.failures + (inStartPeriod ? 0 : 1);
    this.#snapshot = { ...this.#snapshot, lastCheck: now, lastError: result.detail, failures };
    if (failures < this.#config.retries) {
      this.#schedule(run);
      return;
    }
    this.#snapshot = { ...this.#snapshot, health: 'unhealthy' };
    this.stop();
    this.#onChange(this.#snapshot);
    this.#onUnhealthy(
      `unhealthy: ${result.detail} (${failures} failed checks in a row, healthcheck = ${this.#config.probe.text})`,
    );
  }
}
