// docs/lifecycle.md is generated from the transition table; regenerate it with
// `npm run build && node scripts/gen-lifecycle-docs.mjs` when this fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { ACTION_PATHS, renderLifecycleDocs } from '../../../src/process/docs.js';
import { TRANSITIONS } from '../../../src/process/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('docs/lifecycle.md', () => {
  it('is up to date with the transition table', async () => {
    const target = path.join(REPO, 'docs/lifecycle.md');
    const options = (await prettier.resolveConfig(target)) ?? {};
    const expected = await prettier.format(renderLifecycleDocs(), { ...options, filepath: target });
    assert.equal(
      readFileSync(target, 'utf8'),
      expected,
      'run: npm run build && node scripts/gen-lifecycle-docs.mjs',
    );
  });

  it('declares where every action used in the table can lead', () => {
    for (const row of Object.values(TRANSITIONS)) {
      for (const action of Object.values(row)) assert.ok(Object.hasOwn(ACTION_PATHS, action), action);
    }
  });
});
