import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HoldBudget, LINE_MAX } from '../../../src/logs/index.js';
import { Hold } from '../../../src/logs/hold.js';

const lines = (from: number, to: number): Buffer => {
  let s = '';
  for (let i = from; i <= to; i++) s += `line ${i}\n`;
  return Buffer.from(s);
};

const held = (hold: Hold): string => Buffer.concat(hold.drain()).toString('latin1');

describe('Hold (issue 15: disk full)', () => {
  it('keeps everything up to its limit and hands it over in order', () => {
    const hold = new Hold({ limit: 1000, now: () => 0 });
    hold.add(lines(1, 5));
    hold.add(lines(6, 10));
    assert.equal(hold.pendingLoss(), null);
    assert.equal(held(hold), lines(1, 10).toString());
    assert.equal(hold.bytes, 0);
  });

  it('when full drops its oldest whole lines, keeps the newest, and counts bytes, lines and times', () => {
    let now = 1000;
    const hold = new Hold({ limit: 40, now: () => now });
    hold.add(lines(1, 4)); // 28 bytes
    now = 2000;
    hold.add(lines(5, 8)); // 28 more: lines 1..3 (21 bytes, 3 lines) go, whole
    assert.equal(held(hold), lines(4, 8).toString());
    assert.deepEqual(hold.pendingLoss(), { bytes: 21, lines: 3, first: 2000, last: 2000 });
    assert.deepEqual(hold.dropped, { bytes: 21, lines: 3, last: 2000 });
  });

  it('a chunk larger than the hold keeps its newest lines', () => {
    const hold = new Hold({ limit: 30, now: () => 0 });
    hold.add(lines(1, 2));
    hold.add(lines(3, 20));
    const text = held(hold);
    assert.ok(text.length <= 30, text);
    assert.ok(text.endsWith('line 20\n'));
    assert.match(text, /^line \d+\n/, 'it starts with a whole line');
  });

  it('keeps the newest part of a line longer than the hold', () => {
    const hold = new Hold({ limit: 10, now: () => 0 });
    hold.add(Buffer.from('x'.repeat(25)));
    assert.equal(held(hold), 'x'.repeat(10));
    const loss = hold.pendingLoss();
    assert.deepEqual(loss === null ? null : { bytes: loss.bytes, lines: loss.lines }, {
      bytes: 15,
      lines: 0,
    });
  });

  it('takeLoss() hands over the loss once; later drops start a new one', () => {
    const hold = new Hold({ limit: 14, now: () => 0 });
    hold.add(lines(1, 3));
    assert.equal(hold.takeLoss()?.lines, 1);
    assert.equal(hold.pendingLoss(), null);
    assert.equal(hold.dropped.lines, 1, 'the lifetime count stays');
  });

  it('holds of one budget share it; each still keeps LINE_MAX', () => {
    const budget = new HoldBudget(LINE_MAX * 3);
    const a = new Hold({ limit: LINE_MAX * 2, budget, now: () => 0 });
    const b = new Hold({ limit: LINE_MAX * 2, budget, now: () => 0 });
    const big = Buffer.from(`${'y'.repeat(127)}\n`.repeat((LINE_MAX * 4) / 128));
    a.add(big);
    assert.equal(a.bytes, LINE_MAX * 2, 'a takes its own limit');
    b.add(big);
    assert.equal(b.bytes, LINE_MAX, 'b gets what is left of the budget');
    assert.equal(budget.used, LINE_MAX * 3);
    a.drain();
    b.dropAll();
    assert.equal(budget.used, 0, 'draining and dropping give the budget back');
  });

  it('for any chunking, what is held is a suffix of the input that starts a line (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 500 }),
        (lineLengths, cuts, limit) => {
          const input = Buffer.from(lineLengths.map((n, i) => `${String(i % 10).repeat(n)}\n`).join(''));
          const hold = new Hold({ limit, now: () => 0 });
          for (let pos = 0, i = 0; pos < input.length; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            hold.add(input.subarray(pos, pos + size));
            pos += size;
            assert.ok(hold.bytes <= limit);
          }
          const dropped = hold.dropped;
          const rest = Buffer.concat(hold.drain());
          assert.equal(dropped.bytes + rest.length, input.length, 'every byte is held or counted');
          assert.ok(input.subarray(input.length - rest.length).equals(rest), 'held is the newest');
          const cut = input.length - rest.length;
          const newlines = input.subarray(0, cut).toString('latin1').split('\n').length - 1;
          assert.equal(dropped.lines, newlines, 'dropped lines are the line ends dropped');
          if (cut > 0 && rest.includes(10)) assert.equal(input[cut - 1], 10, 'cut at a line end');
        },
      ),
      { numRuns: 300 },
    );
  });
});
