import { ScryptQueue } from '../api/index.js';
import type { WebUserConfig } from '../config/index.js';
import { FailureLimiter } from './limiter.js';

// A login attempt: rate limits first (per client address and per account name), then one scrypt
// check whether or not the account exists: an unknown name is checked against a real account's
// hash (same parameters, same cost) and fails regardless, so a wrong name and a wrong password
// take the same time and get the same answer. scrypt runs one at a time behind a bounded queue.

export type LoginOutcome =
  | { readonly kind: 'ok'; readonly user: WebUserConfig }
  | { readonly kind: 'denied' }
  | { readonly kind: 'limited'; readonly retryAfterMs: number }
  | { readonly kind: 'busy' };

const MINUTE = 60_000;

export class LoginGuard {
  readonly #users: ReadonlyMap<string, WebUserConfig>;
  readonly #decoy: string;
  readonly #scrypt = new ScryptQueue(16);
  readonly #byClient: FailureLimiter;
  readonly #byAccount: FailureLimiter;

  constructor(users: readonly WebUserConfig[], now: () => number) {
    this.#users = new Map(users.map((u) => [u.name, u]));
    this.#decoy = users[0]?.password ?? '';
    this.#byClient = new FailureLimiter({
      now,
      free: 20,
      baseDelayMs: 5000,
      maxDelayMs: 5 * MINUTE,
      windowMs: 15 * MINUTE,
    });
    this.#byAccount = new FailureLimiter({
      now,
      free: 5,
      baseDelayMs: 5000,
      maxDelayMs: 15 * MINUTE,
      windowMs: 15 * MINUTE,
    });
  }

  async attempt(client: string, username: string, password: string): Promise<LoginOutcome> {
    const account = `user:${username.toLowerCase().slice(0, 64)}`;
    const wait = Math.max(this.#byClient.retryAfter(client), this.#byAccount.retryAfter(account));
    if (wait > 0) return { kind: 'limited', retryAfterMs: wait };
    const user = this.#users.get(username);
    const verdict = await this.#scrypt.verify(user?.password ?? this.#decoy, password);
    if (verdict === 'busy') return { kind: 'busy' };
    if (verdict && user !== undefined) {
      this.#byAccount.clear(account);
      return { kind: 'ok', user };
    }
    this.#byClient.fail(client);
    this.#byAccount.fail(account);
    return { kind: 'denied' };
  }
}
