// The INI reader against configparser's rules as supervisord configures them. (The generated
// corpus in dialect-corpus.test.ts checks the same rules end to end against supervisord.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/config/errors.js';
import {
  commentStart,
  createStore,
  expandHere,
  lookup,
  readIni,
  splitLines,
} from '../../../src/config/ini.js';

const parse = (text: string): Record<string, Record<string, string>> => {
  const store = createStore();
  readIni(store, text, '/etc/tend.conf');
  const out: Record<string, Record<string, string>> = {};
  out.DEFAULT = Object.fromEntries([...store.defaults].map(([k, v]) => [k, v.value]));
  for (const [name, s] of store.sections)
    out[name] = Object.fromEntries([...s.values].map(([k, v]) => [k, v.value]));
  return out;
};

const syntaxLine = (text: string): number => {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.location.file, '/etc/tend.conf');
    return error.location.line;
  }
  assert.fail('expected a syntax error');
};

describe('INI reader', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['inline ; only after whitespace', 'command=echo a;b ;c', { command: 'echo a;b' }],
    ['inline # only after whitespace', 'command=echo a#b #c', { command: 'echo a#b' }],
    ['a tab counts as whitespace', 'command=echo x\t;c', { command: 'echo x' }],
    ['prefixes are scanned in lock-step', 'k=a;b;c ;d #e', { k: 'a;b;c ;d' }],
    [': is a delimiter', 'priority: 5', { priority: '5' }],
    ['the first delimiter wins', 'directory:/tmp:x', { directory: '/tmp:x' }],
    ['= after : stays in the value', 'a:b=c', { a: 'b=c' }],
    ['whitespace around the delimiter goes', 'key   =   value  ', { key: 'value' }],
    ['keys are lower-cased', 'STARTRETRIES=9', { startretries: '9' }],
    ['continuation lines join with \\n', 'command=sh\n  -c\n  true', { command: 'sh\n-c\ntrue' }],
    ['blank lines inside a value stay', 'command=a\n\n  b', { command: 'a\n\nb' }],
    ['trailing blank lines are dropped', 'command=a\n\n\n', { command: 'a' }],
    ['comments inside a value are skipped', 'command=a\n; note\n  b', { command: 'a\nb' }],
    ['the last duplicate wins', 'k=1\nk=2', { k: '2' }],
    ['a value may be empty', 'k=', { k: '' }],
  ];
  for (const [title, body, expected] of cases) {
    it(title, () => {
      assert.deepEqual(parse(`[s]\n${body}`).s, expected);
    });
  }

  it('merges repeated sections and keeps section names case-sensitive', () => {
    const out = parse('[a]\nx=1\ny=1\n[A]\nx=2\n[a]\nx=3\n');
    assert.deepEqual(out.a, { x: '3', y: '1' });
    assert.deepEqual(out.A, { x: '2' });
  });

  it('keeps [DEFAULT] apart and falls back to it', () => {
    const store = createStore();
    readIni(store, '[DEFAULT]\nstartsecs=7\n[program:a]\ncommand=x\n', 'f');
    assert.equal(lookup(store, 'program:a', 'startsecs')?.value, '7');
    assert.equal(lookup(store, 'program:a', 'command')?.value, 'x');
    assert.equal(store.sections.has('DEFAULT'), false);
  });

  it('reads a section header up to its last ]', () => {
    assert.deepEqual(Object.keys(parse('[program:x]junk\n[y]z]\n')), ['DEFAULT', 'program:x', 'y]z']);
  });

  it('records the file and line of each value', () => {
    const store = createStore();
    readIni(store, '; c\n[s]\n\nk=v\n  more\n', '/x.conf');
    assert.deepEqual(lookup(store, 's', 'k'), {
      value: 'v\nmore',
      file: '/x.conf',
      line: 4,
      inherited: false,
    });
  });

  it('rejects a line without a delimiter, an empty key and keys before a section', () => {
    assert.equal(syntaxLine('[s]\nk=v\nautostart\n'), 3);
    assert.equal(syntaxLine('[s]\n=v\n'), 2);
    assert.equal(syntaxLine('; c\nk=v\n[s]\n'), 2);
  });

  it('reads CRLF and lone CR as line ends', () => {
    assert.deepEqual(splitLines('a\r\nb\rc\n'), ['a\n', 'b\n', 'c\n']);
  });

  it('finds comment starts like configparser', () => {
    assert.equal(commentStart('a;b'), null);
    assert.equal(commentStart('a ;b'), 2);
    assert.equal(commentStart('  # x'), 0);
    assert.equal(commentStart('a;b;c ;d #e'), 9);
  });

  it('replaces %(here)s per file and copies [DEFAULT] values that use it into sections', () => {
    const store = createStore();
    readIni(store, '[DEFAULT]\ndir=%(here)s/x\n[a]\nk=%(here)s\n', '/main/f.conf');
    expandHere(store, '/main');
    readIni(store, '[b]\nk=%(here)s\n', '/inc/g.conf');
    expandHere(store, '/inc');
    assert.equal(lookup(store, 'a', 'k')?.value, '/main');
    assert.equal(lookup(store, 'a', 'dir')?.value, '/main/x');
    assert.equal(lookup(store, 'b', 'k')?.value, '/inc');
    assert.equal(lookup(store, 'b', 'dir')?.value, '/inc/x');
    assert.equal(lookup(store, 'b', 'dir')?.inherited, true);
    assert.equal(store.defaults.get('dir')?.value, '%(here)s/x');
  });
});
