// glob() follows Python's glob.glob, which [include] files= uses.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fnmatchRegex, glob } from '../../../src/config/glob.js';
import { scratch } from './helpers.js';

describe('glob', () => {
  const { dir, write } = scratch();
  for (const f of ['a/x.conf', 'a/y.ini', 'a/.h.conf', 'b/x.conf', 'b/sub/z.conf', 'c[1]/lit.conf'])
    write(f, '');

  const rel = (pattern: string): string[] =>
    glob(path.join(dir, pattern))
      .map((p) => path.relative(dir, p))
      .sort();

  it('matches *, ? and [...] per component, skipping hidden names', () => {
    assert.deepEqual(rel('a/*'), ['a/x.conf', 'a/y.ini']);
    assert.deepEqual(rel('?/x.conf'), ['a/x.conf', 'b/x.conf']);
    assert.deepEqual(rel('[ab]/*.conf'), ['a/x.conf', 'b/x.conf']);
    assert.deepEqual(rel('[!a]/*.conf'), ['b/x.conf']);
    assert.deepEqual(rel('a/.*'), ['a/.h.conf']);
    assert.deepEqual(rel('*/*/*.conf'), ['b/sub/z.conf']);
  });

  it('returns a path without wildcards only when it exists', () => {
    assert.deepEqual(rel('a/x.conf'), ['a/x.conf']);
    assert.deepEqual(rel('a/none.conf'), []);
    assert.deepEqual(rel('nowhere/*.conf'), []);
  });

  it('treats an unclosed [ as a literal', () => {
    assert.ok(fnmatchRegex('c[1').test('c[1'));
    assert.ok(fnmatchRegex('[]]x').test(']x'));
    assert.equal(fnmatchRegex('[z-a]').test('m'), false);
  });
});
