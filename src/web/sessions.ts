import { createHash, randomBytes } from 'node:crypto';
import type { WebRole } from '../config/index.js';

// Server-side sessions. The cookie holds only a random 256-bit id; the store is keyed by its
// SHA-256, so looking one up does not compare the secret itself byte by byte. A session is
// anonymous (before login: it carries the CSRF secret the login form needs) or belongs to a user.
// Ids are never reused: login and logout end the old session and start a new one (rotation), and
// a session unused for `idleMs` is gone, along with the live streams it opened.

export interface Session {
  readonly user: string | null;
  readonly role: WebRole | null;
  /** The CSRF secret; tokens are masked copies of it (csrf.ts). */
  readonly csrf: Buffer;
  lastSeen: number;
  /** Closes what this session keeps open (event streams) when it ends. */
  readonly closers: Set<() => void>;
}

export interface SessionOptions {
  readonly idleMs: number;
  readonly now: () => number;
  /** Sessions kept at most; the least recently used goes first (anonymous ones before users'). */
  readonly max?: number;
}

const keyOf = (id: string): string => createHash('sha256').update(id).digest('base64');

export const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore {
  readonly #byKey = new Map<string, Session>();
  readonly #options: SessionOptions;

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** A new session and its cookie value. */
  create(user: string | null, role: WebRole | null): { id: string; session: Session } {
    this.#makeRoom();
    const id = randomBytes(32).toString('base64url');
    const session: Session = {
      user,
      role,
      csrf: randomBytes(32),
      lastSeen: this.#options.now(),
      closers: new Set(),
    };
    this.#byKey.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session of a cookie value (and marks it used), or null. */
  get(id: string | undefined): Session | null {
    if (id === undefined || !ID_PATTERN.test(id)) return null;
    const key = keyOf(id);
    const session = this.#byKey.get(key);
    if (session === undefined) return null;
    const now = this.#options.now();
    if (now - session.lastSeen > this.#options.idleMs) {
      this.#end(key, session);
      return null;
    }
    session.lastSeen = now;
    // Re-inserted so the Map's order is least recently used first.
    this.#byKey.delete(key);
    this.#byKey.set(key, session);
    return session;
  }

  destroy(id: string | undefined): void {
    if (id === undefined || !ID_PATTERN.test(id)) return;
    const key = keyOf(id);
    const session = this.#byKey.get(key);
    if (session !== undefined) this.#end(key, session);
  }

  /** Ends the sessions idle for too long; run now and then. */
  sweep(): void {
    const now = this.#options.now();
    for (const [key, session] of this.#byKey) {
      if (now - session.lastSeen > this.#options.idleMs) this.#end(key, session);
    }
  }

  /** Ends every session (the server is closing). */
  clear(): void {
    for (const [key, session] of this.#byKey) this.#end(key, session);
  }

  #makeRoom(): void {
    const max = this.#options.max ?? 10_000;
    if (this.#byKey.size < max) return;
    this.sweep();
    for (const [key, session] of this.#byKey) {
      if (this.#byKey.size < max) return;
      if (session.user === null) this.#end(key, session);
    }
    for (const [key, session] of this.#byKey) {
      if (this.#byKey.size < max) return;
      this.#end(key, session);
    }
  }

  #end(key: string, session: Session): void {
    this.#byKey.delete(key);
    for (const close of session.closers) close();
    session.closers.clear();
  }
}
