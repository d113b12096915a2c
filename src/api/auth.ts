import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { isScryptHash } from './scrypt.js';
import { ScryptQueue } from './scrypt-queue.js';

// HTTP Basic auth as supervisord does it (medusa auth_handler): a plain password, or `{SHA}`
// followed by the hex SHA-1 of the password; plus tend's `{scrypt}` hashes (scrypt.ts). Every
// comparison is constant-time on fixed-size digests, so neither the content nor the length of a
// secret leaks through timing.
//
// A scrypt check costs ~0.4 s of CPU and 128 MiB, so (1) a connection that authenticated once
// is trusted for the same Authorization header until it closes: supervisorctl makes all the
// calls of one command on one kept-alive connection and pays once per command; nothing about the
// credentials outlives the connection, and every new connection (say, a password guesser) pays
// in full; (2) the checks queue (scrypt-queue.ts), so a flood of guesses cannot take the
// daemon's memory: the rest are answered 503 at once.

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export type AuthVerdict = 'ok' | 'missing' | 'malformed' | 'denied' | 'busy';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const safeEqual = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

export class Authenticator {
  readonly #verified = new WeakMap<Socket, Buffer>();
  readonly #scrypt = new ScryptQueue();

  /** Checks an Authorization header against the configured credentials. */
  async check(header: string | undefined, expected: Credentials, socket: Socket): Promise<AuthVerdict> {
    if (header === undefined) return 'missing';
    const seen = this.#verified.get(socket);
    const fingerprint = digest(header);
    if (seen !== undefined && timingSafeEqual(seen, fingerprint)) return 'ok';
    const given = parseBasic(header);
    if (given === null) return 'malformed';
    const userOk = safeEqual(expected.username, given.username);
    const passOk = await this.#passwordMatches(expected.password, given.password);
    if (passOk === 'busy') return 'busy';
    if (!userOk || !passOk) return 'denied';
    this.#verified.set(socket, fingerprint);
    return 'ok';
  }

  async #passwordMatches(stored: string, given: string): Promise<boolean | 'busy'> {
    if (stored.startsWith('{SHA}')) {
      const sha1 = createHash('sha1').update(given, 'utf8').digest('hex');
      return safeEqual(stored.slice(5).toLowerCase(), sha1);
    }
    if (!isScryptHash(stored)) return safeEqual(stored, given);
    return this.#scrypt.verify(stored, given);
  }
}

/** `Basic base64(user:password)` → its parts, or null when it is not that. */
export const parseBasic = (header: string): Credentials | null => {
  const match = /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header);
  if (match === null) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};
