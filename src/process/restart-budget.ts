// The daemon-wide budget of automatic restarts ([supervisord] autorestart_rate and
// autorestart_burst): a crash storm (hundreds of programs with startsecs=0 exiting at once, each
// run counting as a success) would otherwise respawn as fast as the machine forks, taking the
// CPU and the control plane with it. A token bucket in its GCRA form: `burst` restarts go at once,
// the rest are spaced `1/rate` apart in the order they were asked for, so every looping program
// gets its turn and an innocent program's restart waits at most (programs looping) / rate.
// Starts that someone asked for (start, restart, reload, autostart) never wait for the budget.

export interface RestartBudgetConfig {
  /** Automatic restarts per second over the long run; 0 turns the budget off. */
  readonly rate: number;
  /** Restarts allowed at once before spacing begins (at least 1). */
  readonly burst: number;
}

/** The theoretical arrival time of the next restart (monotonic ms); 0 when nothing is owed. */
export type BudgetState = number;

export interface Reservation {
  readonly state: BudgetState;
  /** How long after `at` the restart may spawn. */
  readonly delayMs: number;
}

/** Reserves one restart wanted at `at` (monotonic ms). Pure: the caller keeps the state. */
export const reserve = (state: BudgetState, at: number, config: RestartBudgetConfig): Reservation => {
  if (config.rate <= 0) return { state, delayMs: 0 };
  const interval = 1000 / config.rate;
  const next = Math.max(state, at) + interval;
  const earliest = next - Math.max(1, config.burst) * interval;
  return { state: next, delayMs: Math.max(0, earliest - at) };
};

/** The daemon's one budget, shared by every process it supervises. */
export class RestartBudget {
  #state: BudgetState = 0;
  #config: RestartBudgetConfig;
  #lastWarned = -Infinity;

  constructor(config: RestartBudgetConfig) {
    this.#config = config;
  }

  get config(): RestartBudgetConfig {
    return this.#config;
  }

  /** A reload may change the rate; restarts already spaced keep their turn. */
  configure(config: RestartBudgetConfig): void {
    this.#config = config;
  }

  /** The extra wait of a restart wanted at `at` (monotonic ms). */
  take(at: number): number {
    const r = reserve(this.#state, at, this.#config);
    this.#state = r.state;
    return r.delayMs;
  }

  /** True at most once a minute while restarts are being spaced: when to say so in the log. */
  shouldWarn(now: number): boolean {
    if (now - this.#lastWarned < 60_000) return false;
    this.#lastWarned = now;
    return true;
  }
}
