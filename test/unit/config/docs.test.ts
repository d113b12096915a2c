// docs/config.md is generated from the key tables; regenerate it with
// `npm run build && node scripts/gen-docs.mjs` when this fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderConfigDocs, SECTION_KINDS } from '../../../src/config/index.js';
import { assertGeneratedDocCurrent } from '../../helpers/generated-docs.js';

describe('docs/config.md', () => {
  it('is up to date with the key tables', async () => {
    await assertGeneratedDocCurrent('docs/config.md', renderConfigDocs);
  });

  it('documents every key of every section kind', () => {
    const text = renderConfigDocs();
    for (const kind of SECTION_KINDS) {
      assert.ok(text.includes(`## ${kind.title}`), kind.title);
      for (const key of Object.keys(kind.keys))
        assert.ok(text.includes(`| \`${key}\` |`), `${kind.title} ${key}`);
    }
  });
});
