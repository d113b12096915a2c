// docs/lifecycle.md is generated from the transition table; regenerate it with
// `npm run build && node scripts/gen-docs.mjs` when this fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTION_PATHS, renderLifecycleDocs } from '../../../src/process/docs.js';
import { TRANSITIONS } from '../../../src/process/index.js';
import { assertGeneratedDocCurrent } from '../../helpers/generated-docs.js';

describe('docs/lifecycle.md', () => {
  it('is up to date with the transition table', async () => {
    await assertGeneratedDocCurrent('docs/lifecycle.md', renderLifecycleDocs);
  });

  it('declares where every action used in the table can lead', () => {
    for (const row of Object.values(TRANSITIONS)) {
      for (const action of Object.values(row)) assert.ok(Object.hasOwn(ACTION_PATHS, action), action);
    }
  });
});
