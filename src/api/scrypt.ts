import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { parseScryptHash, SCRYPT_PREFIX } from '../config/scrypt-hash.js';

// tend's password hashes: `{scrypt}N=131072,r=8,p=1$<salt base64>$<hash base64>`, scrypt with
// N=2^17, r=8, p=1 (DESIGN.md §3), a 16-byte salt and a 32-byte key. Only node:crypto and the
// format (config/scrypt-hash.ts), so the CLI can load this module (for `tend hash-password`)
// without the daemon's dependencies.

const DEFAULT = { N: 2 ** 17, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

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

export { isScryptHash, parseScryptHash, SCRYPT_PREFIX } from '../config/scrypt-hash.js';
