import { closeSync, openSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

// supervisord's AUTO child logs: `<childlogdir>/<name>-<stream>---<identifier>-<random>.log`,
// created exclusively (mkstemp) when the process is added, so each run gets fresh files.

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789_';

const randomSuffix = (): string => {
  const bytes = randomBytes(8);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length] ?? '_';
  return out;
};

export const createAutoLog = (
  childlogdir: string,
  name: string,
  stream: string,
  identifier: string,
): string => {
  for (let attempt = 0; attempt < 100; attempt++) {
    const file = path.join(childlogdir, `${name}-${stream}---${identifier}-${randomSuffix()}.log`);
    try {
      closeSync(openSync(file, 'wx', 0o600));
      return file;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Out of descriptors: the name is still fresh (random), and the log file creates it at its
      // first write, or reports that it cannot, for this program alone.
      if (code === 'EMFILE' || code === 'ENFILE') return file;
      if (code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`could not create an AUTO log file in ${childlogdir}`);
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes AUTO logs of earlier runs (supervisord does this at start unless nocleanup=true). */
export const cleanupAutoLogs = (childlogdir: string, identifier: string): number => {
  const pattern = new RegExp(`^.+?---${escapeRegExp(identifier)}-\\S+\\.log\\.?\\d{0,4}$`);
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(childlogdir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!pattern.test(name)) continue;
    rmSync(path.join(childlogdir, name), { force: true });
    removed++;
  }
  return removed;
};
