import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { RotatingFile } from '../../../src/logs/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { readRotated } from '../../helpers/lines.js';
import { tempDir } from '../../helpers/tmp.js';

// *_logfile_maxage on a fake clock: a file is rotated at the first write once its first line is
// maxage old, at a line end, and never while it is quiet; size rotation still applies, and the
// backups cap too.

const dir = tempDir();
let serial = 0;
const fresh = (): string => path.join(dir, `age${serial++}.log`);

const open = (file: string, clock: FakeClock, options: { maxbytes?: number; backups?: number } = {}) =>
  new RotatingFile({
    path: file,
    maxbytes: options.maxbytes ?? 0,
    backups: options.backups ?? 10,
    maxageMs: 1000,
    timers: clock,
  });

const write = (f: RotatingFile, text: string): void => {
  f.write([Buffer.from(text)]);
};

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'latin1') : '<none>');

/** The files oldest first, as written. */
const files = (file: string): string[] => {
  const out: string[] = [];
  for (let i = 1; existsSync(`${file}.${i}`); i++) out.unshift(read(`${file}.${i}`));
  return [...out, read(file)];
};

describe('RotatingFile age rotation', () => {
  it('rotates before the first write once the first line is maxage old', () => {
    const clock = new FakeClock();
    const file = fresh();
    const f = open(file, clock);
    write(f, 'a\n');
    clock.advance(600);
    write(f, 'b\n');
    clock.advance(399);
    write(f, 'c\n');
    assert.deepEqual(files(file), ['a\nb\nc\n'], 'not yet 1000 ms since "a"');
    clock.advance(1);
    write(f, 'd\n');
    assert.deepEqual(files(file), ['a\nb\nc\n', 'd\n']);
    assert.equal(f.stats.rotations, 1);
    f.close();
  });

  it('finishes a started line first, and waits for its end when none comes', () => {
    const clock = new FakeClock();
    const file = fresh();
    const f = open(file, clock);
    write(f, 'one\ntw');
    clock.advance(5000);
    write(f, 'o and more');
    assert.deepEqual(files(file), ['one\ntwo and more'], 'no line end yet: no rotation');
    write(f, '!\nthree\nfou');
    assert.deepEqual(files(file), ['one\ntwo and more!\n', 'three\nfou']);
    f.close();
  });

  it('leaves a quiet file alone, and rotates it once when it is written again', () => {
    const clock = new FakeClock();
    const file = fresh();
    const f = open(file, clock);
    write(f, 'old\n');
    clock.advance(10 * 60_000);
    assert.equal(clock.pendingTimers, 0, 'age rotation arms no timer');
    assert.deepEqual(files(file), ['old\n']);
    write(f, 'new\n');
    assert.deepEqual(files(file), ['old\n', 'new\n']);
    assert.equal(f.stats.rotations, 1);
    f.close();
  });

  it('keeps only `backups` rotated files', () => {
    const clock = new FakeClock();
    const file = fresh();
    const f = open(file, clock, { backups: 2 });
    for (let i = 0; i < 6; i++) {
      write(f, `${i}\n`);
      clock.advance(1000);
    }
    f.close();
    assert.deepEqual(files(file), ['3\n', '4\n', '5\n']);
  });

  it('counts the age from the first line of the new file, after a size rotation too', () => {
    const clock = new FakeClock();
    const file = fresh();
    const f = open(file, clock, { maxbytes: 8 });
    write(f, 'aaaa\n');
    clock.advance(900);
    write(f, 'bbbb\n');
    clock.advance(200);
    write(f, 'cc\n');
    // Size rotated at 900 ms ("bbbb" did not fit); "bbbb" is 200 ms old, so age does not.
    assert.deepEqual(files(file), ['aaaa\n', 'bbbb\ncc\n']);
    f.close();
  });

  it('loses, repeats, reorders and splits no line, and no file outlives maxage (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lines: fc.integer({ min: 1, max: 8 }),
            cut: fc.integer({ min: 0, max: 30 }),
            wait: fc.integer({ min: 0, max: 700 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.constantFrom(0, 64, 300),
        (steps, maxbytes) => {
          const clock = new FakeClock();
          const file = fresh();
          const f = open(file, clock, { maxbytes, backups: 1000 });
          // When the first byte of the line at each offset of the output was written.
          const startedAt = new Map<number, number>();
          let text = '';
          const put = (piece: string): void => {
            write(f, piece);
            for (let i = 0; i < piece.length; i++) {
              const at = text.length + i;
              if (at === 0 || (i === 0 ? text.endsWith('\n') : piece[i - 1] === '\n'))
                startedAt.set(at, clock.now());
            }
            text += piece;
          };
          let n = 0;
          let carry = '';
          for (const step of steps) {
            let chunk = carry;
            for (let i = 0; i < step.lines; i++, n++) chunk += `${n}${'x'.repeat(n % 7)}\n`;
            // Hold back the tail (a line cut anywhere), written with the next step.
            const cut = Math.max(0, chunk.length - step.cut);
            carry = chunk.slice(cut);
            put(chunk.slice(0, cut));
            clock.advance(step.wait);
          }
          put(carry);
          f.close();
          assert.equal(readRotated(file, 1000), text);
          const all = files(file);
          let offset = 0;
          for (const [i, content] of all.slice(0, -1).entries()) {
            assert.ok(content.endsWith('\n'), `rotated file ${i} ends mid-line`);
            const next = offset + content.length;
            // Age only: the next file began at least maxage after this one's first line (if it
            // began at all: a rotation right after the line that ended a write leaves it empty).
            if (maxbytes === 0 && startedAt.has(next)) {
              const gap = (startedAt.get(next) ?? NaN) - (startedAt.get(offset) ?? NaN);
              assert.ok(gap >= 1000, `file ${i} rotated after ${gap} ms`);
            }
            offset = next;
          }
          for (let i = 1; existsSync(`${file}.${i}`); i++) rmSync(`${file}.${i}`);
          rmSync(file, { force: true });
        },
      ),
      { numRuns: 200 },
    );
  });
});
