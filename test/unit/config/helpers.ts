// Temporary config files for tests that need more than one file or an unusual layout.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/** A fresh directory removed when the test file ends; write(name, text) creates files in it. */
export const scratch = (): { dir: string; write: (name: string, text: string) => string } => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tend-config-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    write: (name, text) => {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
};

export const OPTIONS = {
  env: { HOME: '/home/tend', TEND_X: 'x' },
  hostname: 'testhost',
  isRoot: true,
} as const;
