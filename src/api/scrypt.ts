import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// tend's password hashes: `{scrypt}N=131072,r=8,p=1$<salt base64>$<hash base64>`, scrypt with
// N=2^17, r=8, p=1 (DESIGN.md §3), a 16-byte salt and a 32-byte key. Only node:crypto, so the
// CLI can load this module (for `tend hash-password`) without the daemon's dependencies.

export const SCRYPT_PREFIX = '{scrypt}';
const DEFAULT = { N: 2 ** 17, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

interface ScryptHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const derive = (
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
  length: number,
) =>
  new Promise<Buffer>((resolve, reject) => {
    // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is below N=2^17, r=8.
    const maxmem = 128 * params.N * params.r * params.p + 32 * 1024 * 1024;
    scrypt(password, salt, length, { ...params, maxmem }, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });

export const isScryptHash = (stored: string): boolean => stored.startsWith(SCRYPT_PREFIX);

const FORMAT = /^\{scrypt\}N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** The parts of a stored hash, or null when it is not one tend wrote (or is out of bounds). */
export const parseScryptHash = (stored: string): ScryptHash | null => {
  const m = FORMAT.exec(stored);
  if (m === null) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const hash = Buffer.from(m[5] ?? '', 'base64');
  const powerOfTwo = N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0;
  if (
    !powerOfTwo ||
    r < 1 ||
    r > 32 ||
    p < 1 ||
    p > 16 ||
    salt.length < 8 ||
    hash.length < 16 ||
    hash.length > 64
  ) {
    return null;
  }
  return { N, r, p, salt, hash };
};

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, DEFAULT, KEY_BYTES);
  return `${SCRYPT_PREFIX}N=${DEFAULT.N},r=${DEFAULT.r},p=${DEFAULT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
};

/** Compares in constant time on the fixed-size derived keys; a malformed hash never matches. */
export const verifyScrypt = async (stored: string, password: string): Promise<boolean> => {
  const parsed = parseScryptHash(stored);
  if (parsed === null) return false;
  const key = await derive(password, parsed.salt, parsed, parsed.hash.length);
  return timingSafeEqual(key, parsed.hash);
};
