import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureSplitter, prefixAtEnd } from '../../../src/logs/capture.js';

// supervisord's capture mode (POutputDispatcher.record_output), chunk by chunk: what goes to the
// log (L), what is captured (C, also reported as output), and the blocks that become events (E).

const B = '<!--XSUPERVISOR:BEGIN-->';
const E = '<!--XSUPERVISOR:END-->';

const run = (chunks: readonly string[], maxbytes = 1024, end = false): string[] => {
  const seen: string[] = [];
  const splitter = new CaptureSplitter(maxbytes, {
    piece: (data, captured) => seen.push(`${captured ? 'C' : 'L'} ${data.toString()}`),
    communicate: (data) => seen.push(`E ${data.toString()}`),
  });
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  if (end) splitter.end();
  return seen;
};

const CASES: [string, string[], string[], number?][] = [
  ['no tokens', ['hello\n'], ['L hello\n']],
  ['a block in one read', [`a${B}x y${E}b\n`], ['L a', 'C x y', 'E x y', 'L b\n']],
  ['a block over reads', [`a${B}x`, ' y', `${E}b`], ['L a', 'C x', 'C  y', 'E x y', 'L b']],
  ['a begin token split between reads', ['a<!--XSUP', `ERVISOR:BEGIN-->x${E}`], ['L a', 'C x', 'E x']],
  ['an end token split between reads', [`${B}x<!--XSUPERVISOR:E`, 'ND-->after'], ['C x', 'E x', 'L after']],
  ['two blocks', [`${B}1${E}${B}2${E}`], ['C 1', 'E 1', 'C 2', 'E 2']],
  ['an empty block', [`${B}${E}z`], ['E ', 'L z']],
  // loggers.py BoundIO: past maxbytes, as many bytes as are added go from the front.
  ['the capture buffer keeps its bound', [`${B}abc`, 'defg', E], ['C abc', 'C defg', 'E defg'], 5],
  ['a single write over the bound is kept whole', [`${B}abcdefgh${E}`], ['C abcdefgh', 'E abcdefgh'], 5],
  ['a tail that could start a token waits', ['done\n<!--'], ['L done\n']],
];

describe('capture mode', () => {
  for (const [name, chunks, expected, maxbytes] of CASES) {
    it(name, () => {
      assert.deepEqual(run(chunks, maxbytes), expected);
    });
  }

  it('writes a held tail when the pipe ends (supervisord would hold it forever)', () => {
    assert.deepEqual(run(['done\n<!--'], 1024, true), ['L done\n', 'L <!--']);
  });

  it('drops an unterminated block when the pipe ends, as supervisord', () => {
    assert.deepEqual(run([`${B}half`], 1024, true), ['C half']);
  });

  it('finds the longest prefix of a token at the end', () => {
    assert.equal(prefixAtEnd(Buffer.from('xx<!--XSUP'), Buffer.from(B)), 8);
    assert.equal(prefixAtEnd(Buffer.from('xx'), Buffer.from(B)), 0);
    assert.equal(prefixAtEnd(Buffer.from('<'), Buffer.from(B)), 1);
  });
});
