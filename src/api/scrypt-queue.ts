import { verifyScrypt } from './scrypt.js';

// A scrypt check costs ~0.4 s of CPU and 128 MiB, so checks run one at a time and at most
// `limit` wait: a flood of guesses cannot take the daemon's memory or all of its CPU, the rest
// are told 'busy' at once. The control servers' Basic auth and the dashboard's login share this
// shape (each listener has its own queue).
export class ScryptQueue {
  readonly #limit: number;
  #chain: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  constructor(limit = 32) {
    this.#limit = limit;
  }

  /** Whether `password` matches `stored`, or 'busy' when too many checks are already waiting. */
  async verify(stored: string, password: string): Promise<boolean | 'busy'> {
    if (this.#waiting >= this.#limit) return 'busy';
    this.#waiting++;
    const run = this.#chain.then(() => verifyScrypt(stored, password));
    this.#chain = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      this.#waiting--;
    }
  }
}
