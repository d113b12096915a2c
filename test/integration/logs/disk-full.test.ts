import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LINE_MAX, RotatingFile, type FileHealth } from '../../../src/logs/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { mountTmpfs } from '../../helpers/tmpfs.js';

const numbered = (from: number, to: number): Buffer => {
  let s = '';
  for (let i = from; i <= to; i++) s += `${i}\n`;
  return Buffer.from(s);
};

// Cuts a buffer into irregular pieces, as pipe reads would, splitting lines anywhere.
const shred = (buffer: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  for (let pos = 0, x = 11; pos < buffer.length;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const size = 1 + (x % 9000);
    out.push(buffer.subarray(pos, pos + size));
    pos += size;
  }
  return out;
};

const consecutive = (numbers: readonly number[]): boolean =>
  numbers.every((n, i) => n === (numbers[0] ?? 0) + i);

// Issue 15: a real full disk (ENOSPC from a tmpfs), not a simulated one.
describe('a log file on a full disk', () => {
  it('keeps the newest whole lines, marks the gap, and resumes with no torn line once there is room', async (t) => {
    const fs = await mountTmpfs('256k');
    if ('skip' in fs) {
      t.skip(fs.skip);
      return;
    }
    const clock = new FakeClock(Date.parse('2026-03-04T05:06:07.000Z'));
    const file = path.join(fs.dir, 'out.log');
    const health: FileHealth[] = [];
    const f = new RotatingFile({
      path: file,
      maxbytes: 0,
      backups: 0,
      holdLimit: LINE_MAX,
      timers: clock,
      onHealth: (e) => health.push(e),
    });
    const total = 200_000;
    for (const chunk of shred(numbered(1, total))) f.write([chunk]);
    assert.deepEqual(
      health.map((h) => [h.kind, 'error' in h ? h.error : '']),
      [
        ['failed', 'ENOSPC'],
        ['dropping', 'ENOSPC'],
      ],
    );
    assert.ok(f.stats.heldBytes <= LINE_MAX);
    await fs.grow('4m');
    clock.advance(1000);
    f.close();

    const text = readFileSync(file, 'latin1');
    const markerAt = text.indexOf('[tend] ');
    assert.ok(markerAt > 0, 'a marker line');
    const before = text.slice(0, markerAt);
    const markerEnd = text.indexOf('\n', markerAt) + 1;
    const marker = text.slice(markerAt, markerEnd - 1);
    const after = text.slice(markerEnd);
    assert.ok(before.endsWith('\n') && after.endsWith('\n'), 'no torn line on either side');
    const head = before.split('\n').slice(0, -1).map(Number);
    const tail = after.split('\n').slice(0, -1).map(Number);
    assert.ok(consecutive(head) && head[0] === 1, 'what reached the disk first is intact');
    assert.ok(consecutive(tail) && tail.at(-1) === total, 'the newest lines are kept, whole');
    const droppedLines = (tail[0] ?? 0) - (head.at(-1) ?? 0) - 1;
    const droppedBytes = numbered(1, total).length - before.length - after.length;
    assert.equal(
      marker,
      `[tend] dropped ${droppedBytes} bytes (${droppedLines} lines) of output here, from 2026-03-04T05:06:07.000Z to 2026-03-04T05:06:07.000Z: the log file could not be written (ENOSPC)`,
    );
    assert.deepEqual(health.at(-1), { kind: 'recovered', path: file, droppedBytes, droppedLines });
    assert.equal(f.stats.droppedBytes, droppedBytes);
  });

  // The disk can also cut the marker short: its start is then cut off and it is written again
  // whole, never counted as dropped output.
  it('writes a marker whole even when the disk cuts it short, and counts only output as dropped', async (t) => {
    const disk = await mountTmpfs('64k');
    if ('skip' in disk) {
      t.skip(disk.skip);
      return;
    }
    // A filler takes every page but one; the log's page keeps 2 bytes free after its first line.
    writeFileSync(path.join(disk.dir, 'filler'), Buffer.alloc(60 * 1024));
    const clock = new FakeClock();
    const file = path.join(disk.dir, 'out.log');
    const f = new RotatingFile({ path: file, maxbytes: 0, backups: 0, holdLimit: 16, timers: clock });
    const first = `${'x'.repeat(4093)}\n`;
    f.write([Buffer.from(first)]);
    f.write([Buffer.from('abc\n'.repeat(20))]); // "ab" fits, then ENOSPC; the hold keeps 16 bytes
    assert.equal(f.stats.error, 'ENOSPC');
    clock.advance(1000); // still full: "ab" is cut off, and the marker's first bytes are written
    clock.advance(1000); // and again: cut off, not counted
    await disk.grow('1m');
    clock.advance(1000);
    f.close();
    const lines = readFileSync(file, 'latin1').split('\n');
    assert.equal(lines[0], first.trimEnd());
    assert.equal(lines.slice(2, -1).join('\n'), 'abc\nabc\nabc\nabc');
    assert.equal(f.stats.droppedBytes, 80 - 16);
    assert.match(lines[1] ?? '', /^\[tend\] dropped 64 bytes \(16 lines\) of output here/);
  });
});
