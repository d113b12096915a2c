// shlexSplit is what the process layer uses to turn `command` into argv (and to report
// "can't parse command" at spawn, as supervisord does).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shlexSplit } from '../../../src/config/index.js';
import { envTokens } from '../../../src/config/shlex.js';
import { PyValueError } from '../../../src/config/pystr.js';

describe('shlexSplit (POSIX shlex.split)', () => {
  const cases: [string, string[]][] = [
    ['/bin/echo a b', ['/bin/echo', 'a', 'b']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['sh -c "echo one; echo two"', ['sh', '-c', 'echo one; echo two']],
    ["sh -c 'it''s'", ['sh', '-c', 'its']],
    ['a\\ b', ['a b']],
    ['"a\\"b" \'a\\b\'', ['a"b', 'a\\b']],
    ['"\\$x"', ['\\$x']],
    ['""', ['']],
    ['x"y"z', ['xyz']],
    ['sh\n-c\ntrue', ['sh', '-c', 'true']],
    ['echo #not-a-comment', ['echo', '#not-a-comment']],
    ['', []],
  ];
  for (const [input, argv] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(argv)}`, () => {
      assert.deepEqual(shlexSplit(input), argv);
    });
  }

  it('throws shlex messages on unbalanced input', () => {
    assert.throws(
      () => shlexSplit('echo "open'),
      (e: unknown) => e instanceof PyValueError && e.message === 'No closing quotation',
    );
    assert.throws(
      () => shlexSplit('echo \\'),
      (e: unknown) => e instanceof PyValueError && e.message === 'No escaped character',
    );
  });
});

describe('envTokens (non-POSIX shlex, as environment= uses it)', () => {
  it('splits words, punctuation and quoted strings, and drops # comments', () => {
    const tokens = envTokens('A="x y",B=c #d\nC=e');
    assert.deepEqual(tokens, ['A', '=', '"x y"', ',', 'B', '=', 'c', 'C', '=', 'e']);
  });

  it('joins a word across a comment in non-POSIX mode', () => {
    assert.deepEqual(envTokens('W=v#x\nQ'), ['W', '=', 'vQ']);
  });
});
