// The daemon catches its signals from its first moment: left to their default action, SIGHUP and
// SIGUSR2 would kill it during start-up (a logrotate or a reload that comes too early) and SIGTERM
// would end it without stopping the programs it has already recorded. Until the daemon is up, a
// signal is only remembered; once it is, what came early is handled first, in order.

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR2'] as const;

export type DaemonSignal = (typeof SIGNALS)[number];

export class SignalInbox {
  #handler: ((signal: DaemonSignal) => void) | null = null;
  readonly #pending: DaemonSignal[] = [];
  readonly #receive = (signal: NodeJS.Signals): void => {
    const s = signal as DaemonSignal;
    if (this.#handler === null) this.#pending.push(s);
    else this.#handler(s);
  };

  constructor() {
    for (const signal of SIGNALS) process.on(signal, this.#receive);
  }

  /** Whether a stop signal came during start-up (then nothing should be started). */
  stopPending(): boolean {
    return this.#pending.some((s) => s === 'SIGTERM' || s === 'SIGINT' || s === 'SIGQUIT');
  }

  /** From now on, signals go to `handler`; those that came during start-up go first. */
  deliver(handler: (signal: DaemonSignal) => void): void {
    this.#handler = handler;
    for (const signal of this.#pending.splice(0)) handler(signal);
  }

  close(): void {
    for (const signal of SIGNALS) process.off(signal, this.#receive);
  }
}
