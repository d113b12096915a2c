// Converters for [web_server] and [web_user:x], tend-only sections (supervisord ignores them), so
// they follow tend's rules: a password is a {scrypt} hash or an error, never a plain secret.
import type { Datatype } from './datatypes.js';
import { PyValueError, pyRepr, pyStrip } from './pystr.js';
import { parseScryptHash } from './scrypt-hash.js';
import type { WebRole } from './types.js';

const type = <T>(name: string, expected: string, convert: (raw: string) => T): Datatype<T> => ({
  name,
  expected,
  convert,
});

// The value itself is never echoed: a plain password written here is a secret, and the error goes
// to logs and terminals.
export const scryptHash: Datatype<string> = {
  ...type('scrypt hash', 'a {scrypt} hash from `tend hash-password`', (raw): string => {
    const text = pyStrip(raw);
    if (parseScryptHash(text) !== null) return text;
    throw new PyValueError(
      text.startsWith('{scrypt}')
        ? 'not a valid {scrypt} hash (make one with `tend hash-password`)'
        : 'a plain password is refused here: write the {scrypt} hash that `tend hash-password` prints',
    );
  }),
  secret: true,
};

export const webRole = type('role', 'operator or viewer', (raw): WebRole => {
  const text = pyStrip(raw).toLowerCase();
  if (text === 'operator' || text === 'viewer') return text;
  throw new PyValueError(`not a role (operator or viewer): ${pyRepr(raw)}`);
});

// An origin only (scheme, host, port): it is compared with the browser's Origin header.
export const httpsOrigin = type('origin', 'https://host[:port] (no path)', (raw): string => {
  const text = pyStrip(raw);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PyValueError(`not a URL: ${pyRepr(raw)}`);
  }
  if (url.protocol !== 'https:') throw new PyValueError(`not an https:// URL: ${pyRepr(raw)}`);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new PyValueError(`only an origin (https://host[:port]), without path or query: ${pyRepr(raw)}`);
  }
  return url.origin;
});

export const sessionSeconds = type('seconds', 'seconds from 60 to 604800 (7 days)', (raw): number => {
  const text = pyStrip(raw);
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < 60 || value > 604_800) {
    throw new PyValueError(`not a session timeout of 60 to 604800 seconds: ${pyRepr(raw)}`);
  }
  return value;
});
