import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedQueue, MemoryBudget } from '../../../src/events/index.js';

describe('BoundedQueue', () => {
  it("drop-oldest keeps the newest items and counts the others (supervisord's event buffer)", () => {
    const dropped: number[] = [];
    const q = new BoundedQueue<number>({
      overflow: 'drop-oldest',
      maxItems: 3,
      onDrop: (n) => dropped.push(n),
    });
    for (let i = 1; i <= 5; i++) assert.equal(q.push(i), true);
    assert.deepEqual([q.shift(), q.shift(), q.shift(), q.shift()], [3, 4, 5, undefined]);
    assert.deepEqual(dropped, [1, 2]);
    assert.equal(q.dropped, 2);
  });

  it('puts a rejected item back at the front, dropping the oldest when full (rebuffering)', () => {
    const dropped: number[] = [];
    const q = new BoundedQueue<number>({
      overflow: 'drop-oldest',
      maxItems: 2,
      onDrop: (n) => dropped.push(n),
    });
    q.push(1);
    q.push(2);
    q.unshift(0);
    assert.deepEqual(dropped, [1]);
    assert.deepEqual([q.shift(), q.shift(), q.length], [0, 2, 0]);
    q.push(5);
    q.shift();
    q.unshift(4);
    assert.deepEqual([q.peek(), q.length], [4, 1]);
  });

  it('refuse answers false instead of growing, and takes nothing', () => {
    const q = new BoundedQueue<string>({ overflow: 'refuse', maxBytes: 10, sizeOf: (s) => s.length });
    assert.equal(q.push('12345'), true);
    assert.equal(q.push('123456'), false);
    assert.equal(q.bytes, 5);
    assert.equal(q.push('12345'), true);
    assert.equal(q.bytes, 10);
    q.shift();
    assert.equal(q.bytes, 5);
  });

  it('refuses one item bigger than the bound whatever the policy', () => {
    const q = new BoundedQueue<string>({ overflow: 'drop-oldest', maxBytes: 4, sizeOf: (s) => s.length });
    q.push('ab');
    assert.equal(q.push('abcdef'), false);
    assert.equal(q.length, 0);
  });

  it('shares a memory budget with other queues and gives it back on shift and clear', () => {
    const budget = new MemoryBudget(10);
    const a = new BoundedQueue<string>({ overflow: 'refuse', sizeOf: (s) => s.length, budget });
    const b = new BoundedQueue<string>({ overflow: 'refuse', sizeOf: (s) => s.length, budget });
    assert.equal(a.push('123456'), true);
    assert.equal(b.push('12345'), false, 'the budget is shared');
    assert.equal(b.push('1234'), true);
    assert.equal(budget.used, 10);
    a.shift();
    assert.equal(budget.used, 4);
    b.clear();
    assert.equal(budget.used, 0);
    assert.equal(b.length, 0);
  });

  it('keeps order and bounded memory over many pushes and shifts', () => {
    const q = new BoundedQueue<number>({ overflow: 'refuse', maxItems: 100 });
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 50; i++) q.push(next++);
      for (let i = 0; i < 50; i++) assert.equal(q.shift(), expected++);
    }
    assert.equal(q.length, 0);
  });
});
