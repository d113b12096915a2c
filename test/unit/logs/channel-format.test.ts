import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FlushQueue, LogChannel, type NativeLineFormat } from '../../../src/logs/index.js';
import { nativeLineFormat } from '../../../src/process/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { tempDir } from '../../helpers/tmp.js';

// A channel with a line format: reads go through the formatter straight into the flush slab,
// across slab flushes, and what reports see (PROCESS_LOG events) stays the program's own output.

const dir = tempDir();
let serial = 0;

const channel = (lineFormat: 'stamped' | 'json', native: NativeLineFormat | null, extra = {}) => {
  const clock = new FakeClock(Date.UTC(2026, 11, 2, 9, 35, 14, 123));
  const queue = new FlushQueue({ timers: clock, native });
  const file = path.join(dir, `c${serial++}.log`);
  const ch = new LogChannel(
    { owner: 'web', stream: 'stdout', file: { path: file, maxbytes: 0, backups: 0 }, lineFormat, ...extra },
    queue,
  );
  /** What a pipe read puts in the scratch buffer. */
  const read = (text: string): void => {
    const bytes = Buffer.from(text);
    bytes.copy(queue.scratch);
    ch.takeScratch(bytes.length);
  };
  return { ch, queue, clock, file, read };
};

for (const native of [null, nativeLineFormat()]) {
  const how = native === null ? 'JavaScript' : 'native';
  describe(`a channel with a line format (${how})`, () => {
    it('writes more than a slab of JSON records in one go, in order, none lost', () => {
      const { ch, file, read } = channel('json', native);
      // 40,000 lines of 61 bytes: about 6 MiB of records, six slabs' worth, in reads of 61 KiB.
      const lines = Array.from(
        { length: 40_000 },
        (_, i) => `${String(i).padStart(10, '0')} ${'z'.repeat(50)}\n`,
      );
      for (let i = 0; i < lines.length; i += 1000) read(lines.slice(i, i + 1000).join(''));
      ch.close();
      const got = readFileSync(file, 'utf8')
        .split('\n')
        .slice(0, -1)
        .map((l) => (JSON.parse(l) as { line: string }).line);
      assert.equal(got.length, lines.length);
      assert.ok(got.every((line, i) => `${line}\n` === lines[i]));
    });

    it('stamps what the file gets; events and followers see the program output and the file alike', () => {
      const events: string[] = [];
      const { ch, clock, file, read } = channel('stamped', native, {
        stripAnsi: true,
        onOutput: (data: Buffer) => events.push(data.toString()),
      });
      const followed: string[] = [];
      ch.subscribe((chunk) => followed.push(chunk.toString()));
      read('\x1b[31mred\x1b[0m line\npart');
      clock.advance(7);
      read('ial\n');
      ch.close();
      const expected = '2026-12-02T09:35:14.123Z red line\n2026-12-02T09:35:14.123Z partial\n';
      assert.equal(readFileSync(file, 'utf8'), expected);
      assert.equal(events.join(''), 'red line\npartial\n');
      assert.equal(followed.join(''), expected);
    });
  });
}
