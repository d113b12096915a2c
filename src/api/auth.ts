import { createHash, timingSafeEqual } from 'node:crypto';

// HTTP Basic auth as supervisord does it (medusa auth_handler): a plain password, or `{SHA}`
// followed by the hex SHA-1 of the password. Compared in constant time on fixed-size digests, so
// neither the content nor the length of the secret leaks through timing.

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

const safeEqual = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

const passwordMatches = (stored: string, given: string): boolean => {
  if (stored.startsWith('{SHA}')) {
    const sha1 = createHash('sha1').update(given, 'utf8').digest('hex');
    return safeEqual(stored.slice(5).toLowerCase(), sha1);
  }
  return safeEqual(stored, given);
};

export type AuthVerdict = 'ok' | 'missing' | 'malformed' | 'denied';

/** Checks an Authorization header against the configured credentials. */
export const checkBasicAuth = (header: string | undefined, expected: Credentials): AuthVerdict => {
  if (header === undefined) return 'missing';
  const match = /^Basic\s+([A-Za-z0-9+/=]*)\s*$/i.exec(header);
  if (match === null) return 'malformed';
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  const userOk = safeEqual(expected.username, decoded.slice(0, colon));
  const passOk = passwordMatches(expected.password, decoded.slice(colon + 1));
  return userOk && passOk ? 'ok' : 'denied';
};
