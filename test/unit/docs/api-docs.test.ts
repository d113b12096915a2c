import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { METHODS } from '../../../src/api/xmlrpc/dispatch.js';
import { CATALOGUE } from '../../../src/errors/index.js';
import { ROOT, TEND } from '../../helpers/daemon.js';

// The reference pages stay true to the code: docs/api.md's error table is the catalogue, it
// names every XML-RPC method, and docs/cli.md has a section for every command `tend` has.

const doc = (name: string): string => readFileSync(path.join(ROOT, 'docs', name), 'utf8');

describe('docs/api.md and docs/cli.md', () => {
  it('the error code table is the catalogue', () => {
    const text = doc('api.md');
    const table = text.slice(text.indexOf('<!-- error-codes:start -->'), text.indexOf('<!-- error-codes:end -->'));
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    const expected = Object.entries(CATALOGUE).map(
      ([code, s]) => `| \`${code}\` | ${s.fault ?? '30 (FAILED)'} | ${s.http} | ${s.exit} | ${s.summary} |`,
    );
    assert.deepEqual(rows, expected);
  });

  it('names every XML-RPC method', () => {
    const text = doc('api.md');
    for (const name of Object.keys(METHODS)) {
      const method = name.split('.')[1] ?? name;
      assert.ok(text.includes(`\`${name}\``) || text.includes(`alias \`${method}\``), name);
    }
  });

  it('documents every command of the CLI', () => {
    const help = spawnSync(process.execPath, [TEND, '--help'], { encoding: 'utf8' }).stdout;
    const commands = [...help.matchAll(/^ {2}([a-z-]+)(?:\|[a-z-]+)?(?: \[| <|\s)/gm)]
      .map((m) => m[1] ?? '')
      .filter((c) => c !== 'help');
    assert.ok(commands.length >= 27 && commands.includes('status') && commands.includes('top'), commands.join(' '));
    const text = doc('cli.md');
    for (const command of commands) assert.match(text, new RegExp(`^### tend ${command}\\b`, 'm'), command);
  });
});
