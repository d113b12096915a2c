// The stored form of tend's password hashes, `{scrypt}N=131072,r=8,p=1$<salt b64>$<hash b64>`:
// the config refuses anything else for [web_server]/[web_user:x] passwords, and api/scrypt.ts
// derives and compares. Only parsing here, so the config layer needs no crypto.

export const SCRYPT_PREFIX = '{scrypt}';

export interface ScryptHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

export const isScryptHash = (stored: string): boolean => stored.startsWith(SCRYPT_PREFIX);

const FORMAT = /^\{scrypt\}N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

const inBounds = (h: ScryptHash): boolean => {
  const powerOfTwo = h.N >= 2 && h.N <= 2 ** 20 && (h.N & (h.N - 1)) === 0;
  return (
    powerOfTwo &&
    h.r >= 1 &&
    h.r <= 32 &&
    h.p >= 1 &&
    h.p <= 16 &&
    h.salt.length >= 8 &&
    h.hash.length >= 16 &&
    h.hash.length <= 64
  );
};

/** The parts of a stored hash, or null when it is not one tend wrote (or is out of bounds). */
export const parseScryptHash = (stored: string): ScryptHash | null => {
  const m = FORMAT.exec(stored);
  if (m === null) return null;
  const parsed = {
    N: Number(m[1]),
    r: Number(m[2]),
    p: Number(m[3]),
    salt: Buffer.from(m[4] ?? '', 'base64'),
    hash: Buffer.from(m[5] ?? '', 'base64'),
  };
  return inBounds(parsed) ? parsed : null;
};
