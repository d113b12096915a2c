// docs/cli.md is generated from the command modules and the error catalogue; regenerate it with
// `npm run build && node scripts/gen-docs.mjs` when this fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { renderCliDocs } from '../../../src/cli/docs.js';
import { CATALOGUE } from '../../../src/errors/index.js';
import { assertGeneratedDocCurrent } from '../../helpers/generated-docs.js';

describe('docs/cli.md', () => {
  it('is up to date with the command modules and the catalogue', async () => {
    await assertGeneratedDocCurrent('docs/cli.md', () => renderCliDocs());
  });

  it('has one section per command and every exit status of the catalogue', () => {
    const text = renderCliDocs();
    for (const command of COMMANDS) {
      assert.equal(text.split('\n').filter((l) => l.startsWith(`### tend ${command.name}`)).length, 1, command.name);
    }
    for (const exit of new Set(Object.values(CATALOGUE).map((s) => s.exit))) {
      assert.match(text, new RegExp(`^- \\*\\*${exit}\\*\\*: `, 'm'), `exit ${exit}`);
    }
  });

  it('gives every command one name: no alias is another command or alias', () => {
    const names = COMMANDS.flatMap((c) => [c.name, ...c.aliases]);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
    for (const c of COMMANDS) assert.ok(c.summary !== '' && c.details !== '', c.name);
  });
});
