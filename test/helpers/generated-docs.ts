import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Fails when a committed generated doc differs from what its renderer produces now. */
export const assertGeneratedDocCurrent = async (file: string, render: () => string): Promise<void> => {
  const target = path.join(REPO, file);
  const options = (await prettier.resolveConfig(target)) ?? {};
  const expected = await prettier.format(render(), { ...options, filepath: target });
  assert.equal(readFileSync(target, 'utf8'), expected, 'run: npm run build && node scripts/gen-docs.mjs');
};
