import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { Arrivals, FlushQueue, LogChannel } from '../../../src/logs/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';

// When parts of a log arrived: the marks per flush, what they say about a line's end, where
// --since starts, and the channel's stamped history on a fake clock.

describe('Arrivals', () => {
  it('stamps each byte with the flush that brought it; what came before the marks has no time', () => {
    const a = new Arrivals();
    a.restart(0, 100);
    a.record(1000, 150);
    a.record(2000, 170);
    assert.equal(a.timeOf(100), null, 'bytes before the base');
    assert.equal(a.timeOf(101), 1000);
    assert.equal(a.timeOf(150), 1000);
    assert.equal(a.timeOf(151), 2000);
    assert.equal(a.timeOf(170), 2000);
    assert.equal(a.timeOf(171), null, 'not written yet');
  });

  it('gives the offset from which everything arrived at or after a time', () => {
    const a = new Arrivals();
    a.restart(0, 0);
    a.record(1000, 10);
    a.record(2000, 20);
    a.record(3000, 30);
    assert.equal(a.offsetSince(0), 0);
    assert.equal(a.offsetSince(2000), 10);
    assert.equal(a.offsetSince(2500), 20);
    assert.equal(a.offsetSince(9999), 30);
  });

  it('keeps one mark per flush, so close arrivals keep their order', () => {
    const a = new Arrivals();
    a.restart(0, 0);
    a.record(1000, 10);
    a.record(1000.001, 20);
    a.record(1004, 30);
    assert.equal(a.timeOf(5), 1000);
    assert.equal(a.timeOf(15), 1000.001);
    assert.equal(a.timeOf(25), 1004);
  });

  it('stamps of one flush queue are unique and in flush order', () => {
    const clock = new FakeClock(5000);
    const queue = new FlushQueue({ timers: clock });
    const stamps = [queue.stamp(), queue.stamp(), queue.stamp()];
    assert.deepEqual(stamps, [5000, 5000.001, 5000.002]);
    clock.advance(10);
    assert.equal(queue.stamp(), 5010);
  });

  it('ignores a flush that brought nothing to the file (held output)', () => {
    const a = new Arrivals();
    a.restart(0, 0);
    a.record(1000, 10);
    a.record(5000, 10);
    assert.equal(a.timeOf(10), 1000);
  });

  it('keeps its marks bounded; an old line is stamped late by a small part of its age, never early', () => {
    const a = new Arrivals();
    a.restart(0, 0);
    // A line a second for a day: 86,400 flushes.
    const now = 86_400_000;
    for (let i = 1; i <= 86_400; i++) a.record(i * 1000, i * 10);
    assert.equal(a.timeOf(864_000), now, 'the newest keep their time exactly');
    for (let offset = 10; offset <= 864_000; offset += 997) {
      const arrived = Math.ceil(offset / 10) * 1000;
      const at = a.timeOf(offset);
      if (at === null) continue;
      assert.ok(at >= arrived, `never earlier than it arrived (${offset})`);
      assert.ok(
        at - arrived <= (now - arrived) / 16 + 1000,
        `late by ${at - arrived} ms at age ${now - arrived}`,
      );
    }
    assert.equal(a.timeOf(10), 1000, 'the whole day is covered, the first line too');
    let distinct = 0;
    for (let since = 0, last = -1; since <= now; since += 1000) {
      const o = a.offsetSince(since);
      if (o !== last) distinct++;
      last = o;
    }
    assert.ok(distinct <= 1024, `bounded: ${distinct} marks`);
  });
});

describe('LogChannel.recentLines', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tend-arrivals-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const channel = (name: string, maxbytes = 0) => {
    const clock = new FakeClock(1_000_000);
    const queue = new FlushQueue({ timers: clock });
    const file = path.join(dir, name);
    const c = new LogChannel(
      { owner: 'web', stream: 'stdout', file: { path: file, maxbytes, backups: 1 } },
      queue,
    );
    const write = (text: string, advanceMs = 100): void => {
      clock.advance(advanceMs);
      c.ingest(Buffer.from(text));
      c.flush();
    };
    return { c, clock, write };
  };

  const text = (lines: { at: number | null; text: Buffer }[]) => lines.map((l) => [l.at, l.text.toString()]);

  it('gives the last lines with the time each arrived', () => {
    const { c, write } = channel('a.log');
    write('one\ntw');
    write('o\nthree\n');
    assert.deepEqual(text(c.recentLines({ lines: 2, maxBytes: 1 << 20 })), [
      [1_000_200, 'two\n'],
      [1_000_200, 'three\n'],
    ]);
    assert.deepEqual(text(c.recentLines({ lines: 10, maxBytes: 1 << 20 }))[0], [1_000_100, 'one\n']);
  });

  it('since: only lines that arrived at or after the time, whole lines only', () => {
    const { c, write } = channel('b.log');
    write('old\n');
    write('half');
    write(' done\nnew\n');
    assert.deepEqual(text(c.recentLines({ lines: 100, since: 1_000_250, maxBytes: 1 << 20 })), [
      [1_000_300, 'new\n'],
    ]);
    assert.deepEqual(text(c.recentLines({ lines: 100, since: 1_000_150, maxBytes: 1 << 20 })), [
      [1_000_300, 'half done\n'],
      [1_000_300, 'new\n'],
    ]);
  });

  it('a cleared file starts its times over', () => {
    const { c, write } = channel('c.log');
    write('before\n');
    c.clear();
    write('after\n');
    assert.deepEqual(text(c.recentLines({ lines: 10, maxBytes: 1 << 20 })), [[1_000_200, 'after\n']]);
  });

  it('after a rotation the new file is stamped, the old one is not read', () => {
    const { c, write } = channel('d.log', 20);
    write('0123456789\n');
    write('abcdefghij\n');
    write('klm\n');
    const lines = text(c.recentLines({ lines: 10, maxBytes: 1 << 20 }));
    assert.ok(lines.length >= 1);
    assert.deepEqual(lines.at(-1), [1_000_300, 'klm\n']);
    assert.ok(lines.every(([at]) => at !== null));
  });
});
