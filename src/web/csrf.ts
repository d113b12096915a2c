import { randomBytes, timingSafeEqual } from 'node:crypto';

// CSRF tokens as gorilla/csrf makes them: the session's 32-byte secret XORed with a fresh random
// pad, sent as base64url(pad ‖ pad⊕secret). Every response carries a new mask, so the token's
// bytes never repeat in compressed responses (BREACH) while any of them unmasks to the secret.
// The check unmasks and compares in constant time.

const SIZE = 32;

export const maskToken = (secret: Buffer): string => {
  const pad = randomBytes(SIZE);
  const masked = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i++) masked[i] = (pad[i] ?? 0) ^ (secret[i] ?? 0);
  return Buffer.concat([pad, masked]).toString('base64url');
};

const unmask = (token: string): Buffer | null => {
  if (!/^[A-Za-z0-9_-]{86}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 2 * SIZE) return null;
  const secret = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i++) secret[i] = (raw[i] ?? 0) ^ (raw[i + SIZE] ?? 0);
  return secret;
};

/** Whether `token` is a masked copy of `secret`. */
export const tokenMatches = (token: string | undefined, secret: Buffer): boolean => {
  if (token === undefined) return false;
  const given = unmask(token);
  return given !== null && secret.length === SIZE && timingSafeEqual(given, secret);
};

/**
 * Whether an unsafe request comes from one of our own pages: its Origin (or, lacking one, its
 * Referer's origin) must be one of `allowed`. A request with neither is refused: every browser
 * that runs the dashboard sends Origin on POST, and a non-browser client has no reason to omit it.
 */
export const sameOrigin = (
  headers: { origin?: string | undefined; referer?: string | undefined },
  allowed: ReadonlySet<string>,
): boolean => {
  if (headers.origin !== undefined) return allowed.has(headers.origin);
  if (headers.referer === undefined) return false;
  try {
    return allowed.has(new URL(headers.referer).origin);
  } catch {
    return false;
  }
};
