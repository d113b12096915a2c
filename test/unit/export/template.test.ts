import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveTemplate, deriveTextTemplate } from '../../../src/export/template.js';

// numprocs → a template: the process number is found back where %(process_num)d was written.

describe('deriveTemplate', () => {
  const cases: [string[], number[], string | null][] = [
    [['same', 'same'], [0, 1], 'same'],
    [['worker_0', 'worker_1', 'worker_2'], [0, 1, 2], 'worker_%i'],
    [['--port=8000', '--port=8001'], [0, 1], '--port=800%i'],
    [['-n w0@h -c 10', '-n w1@h -c 10'], [0, 1], '-n w%i@h -c 10'],
    [['a1-1', 'a2-2'], [1, 2], 'a%i-%i'],
    // %(process_num)02d: 01 … 10 cannot come from one instance number.
    [['p01', 'p10'], [1, 10], null],
    [['x', 'y'], [0, 1], null],
  ];
  for (const [values, nums, expected] of cases) {
    it(`${JSON.stringify(values)} → ${String(expected)}`, () => {
      assert.equal(deriveTemplate(values, nums, '%i'), expected);
    });
  }

  it('keeps a marker already in the text apart from the one it inserts', () => {
    assert.equal(deriveTemplate(['%%i 0', '%%i 1'], [0, 1], '%i'), '%%i %i');
  });

  it('works line by line and needs the same number of lines', () => {
    assert.equal(deriveTextTemplate(['a\nb0', 'a\nb1'], [0, 1], '%i'), 'a\nb%i');
    assert.equal(deriveTextTemplate(['a\nb0', 'a'], [0, 1], '%i'), null);
  });
});
