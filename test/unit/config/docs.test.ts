// docs/config.md is generated from the key tables; regenerate it with
// `npm run build && node scripts/gen-config-docs.mjs` when this fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { renderConfigDocs, SECTION_KINDS } from '../../../src/config/index.js';
import { REPO } from './fixtures.js';

describe('docs/config.md', () => {
  it('is up to date with the key tables', async () => {
    const target = path.join(REPO, 'docs/config.md');
    const options = (await prettier.resolveConfig(target)) ?? {};
    const expected = await prettier.format(renderConfigDocs(), { ...options, filepath: target });
    assert.equal(
      readFileSync(target, 'utf8'),
      expected,
      'run: npm run build && node scripts/gen-config-docs.mjs',
    );
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
