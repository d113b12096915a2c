import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { LINE_MAX, RotatingFile, type FileHealth } from '../../../src/logs/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { checkNumberedLines, readRotated } from '../../helpers/lines.js';
import { tempDir } from '../../helpers/tmp.js';

const numbered = (from: number, to: number): Buffer => {
  let s = '';
  for (let i = from; i <= to; i++) s += `${i}\n`;
  return Buffer.from(s);
};

// Cuts a buffer into pieces of irregular sizes, as pipe reads would, splitting lines anywhere.
const shred = (buffer: Buffer, seed = 7): Buffer[] => {
  const out: Buffer[] = [];
  let pos = 0;
  let x = seed;
  while (pos < buffer.length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const size = 1 + (x % 5000);
    out.push(buffer.subarray(pos, pos + size));
    pos += size;
  }
  return out;
};

describe('RotatingFile', () => {
  it('keeps every numbered line, in order, across many rotations', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    const f = new RotatingFile({ path: file, maxbytes: 10_000, backups: 100 });
    const chunks = shred(numbered(1, 20_000));
    for (let i = 0; i < chunks.length; i += 3) f.write(chunks.slice(i, i + 3));
    f.close();
    assert.ok(f.stats.rotations >= 10, `only ${f.stats.rotations} rotations`);
    const check = checkNumberedLines(readRotated(file, 100), 20_000);
    assert.deepEqual(check, { count: 20_000, lost: 0, duplicated: 0, outOfOrder: 0, garbage: 0 });
  });

  it('rotates at line boundaries: every file holds whole lines and stays within maxbytes', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    const f = new RotatingFile({ path: file, maxbytes: 1000, backups: 5 });
    f.write(shred(numbered(1, 3000)));
    f.close();
    for (const name of [file, `${file}.1`, `${file}.2`, `${file}.5`]) {
      const text = readFileSync(name, 'latin1');
      assert.ok(text.length <= 1000, `${name} has ${text.length} bytes`);
      assert.ok(text.endsWith('\n') || name === file, `${name} ends mid-line`);
      assert.match(text.split('\n')[0] ?? '', /^\d+$/);
    }
    assert.ok(!existsSync(`${file}.6`), 'no more than `backups` copies are kept');
  });

  it('splits a line longer than a whole file at the size limit, losing nothing', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    const f = new RotatingFile({ path: file, maxbytes: 100, backups: 10 });
    const long = Buffer.from('x'.repeat(250) + '\n');
    f.write([long]);
    f.close();
    assert.equal(readRotated(file, 10), long.toString());
    assert.equal(statSync(`${file}.2`).size, 100);
  });

  it('with backups=0 truncates instead of keeping copies', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    const f = new RotatingFile({ path: file, maxbytes: 50, backups: 0 });
    f.write([numbered(1, 100)]);
    f.close();
    assert.ok(!existsSync(`${file}.1`));
    assert.ok(statSync(file).size <= 50);
  });

  it('appends to an existing file and counts its size toward rotation', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    writeFileSync(file, 'old\n');
    const f = new RotatingFile({ path: file, maxbytes: 10, backups: 1 });
    assert.equal(f.size, 4);
    f.write([Buffer.from('new line\n')]);
    f.close();
    assert.equal(readFileSync(`${file}.1`, 'utf8'), 'old\n');
    assert.equal(readFileSync(file, 'utf8'), 'new line\n');
  });

  it('rotation moves a started line of up to LINE_MAX bytes whole, and splits a longer one', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    const L = LINE_MAX;
    const f = new RotatingFile({ path: file, maxbytes: 3 * L, backups: 10 });
    const parts = [
      'a\n'.repeat(L + 2), // 2L + 4 bytes
      's'.repeat(L - 10), // a line of L bytes, started: it fits
      `${'s'.repeat(9)}\n`, // its end does not: the whole line moves to the next file
      'b\n'.repeat((L - 20) / 2), // that file now holds 2L - 20 bytes
      'l'.repeat(L + 10), // a line longer than LINE_MAX, started: it fits
      `${'l'.repeat(20)}\n`, // its end does not: the line is split at the size limit
    ];
    for (const part of parts) f.write([Buffer.from(part)]);
    f.close();
    assert.equal(readRotated(file, 10), parts.join(''));
    assert.equal(readFileSync(`${file}.2`, 'latin1'), parts[0]);
    assert.ok(readFileSync(`${file}.1`, 'latin1').startsWith(`${'s'.repeat(L - 1)}\n`));
    assert.equal(statSync(`${file}.1`).size, 3 * L, 'the long line filled the file to its limit');
    assert.equal(readFileSync(file, 'latin1'), `${'l'.repeat(10)}\n`);
  });

  it('holds no descriptor before its first write, nor after release()', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    const openOn = (): number =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
    const f = new RotatingFile({ path: file, maxbytes: 0, backups: 0 });
    assert.ok(existsSync(file), 'the file exists from the start, for readers');
    assert.equal(openOn(), 0);
    f.write([Buffer.from('one\n')]);
    assert.equal(openOn(), 1);
    f.release();
    assert.equal(openOn(), 0);
    f.write([Buffer.from('two\n')]);
    f.close();
    assert.equal(openOn(), 0);
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\n');
  });

  it('holds output while the directory is missing and writes it, in order, when it returns', () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const file = path.join(dir, 'later', 'out.log');
    const health: FileHealth[] = [];
    const f = new RotatingFile({
      path: file,
      maxbytes: 0,
      backups: 0,
      timers: clock,
      onHealth: (e) => health.push(e),
    });
    f.write([Buffer.from('one\n')]);
    f.write([Buffer.from('two\n')]);
    assert.deepEqual(health, [{ kind: 'failed', path: file, error: 'ENOENT' }]);
    assert.equal(f.stats.heldBytes, 8);
    clock.advance(1000);
    assert.equal(health.length, 1, 'still failing: one report, not one per retry');
    mkdirSync(path.join(dir, 'later'));
    clock.advance(1000);
    f.write([Buffer.from('three\n')]);
    f.close();
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nthree\n');
    assert.deepEqual(health.at(-1), { kind: 'recovered', path: file, droppedBytes: 0, droppedLines: 0 });
    assert.equal(f.stats.droppedBytes, 0);
  });

  it('beyond its hold drops the oldest whole lines, keeps the newest, and marks the place in the file', () => {
    const dir = tempDir();
    const clock = new FakeClock(Date.parse('2026-01-02T03:04:05.000Z'));
    const file = path.join(dir, 'later', 'out.log');
    const health: FileHealth[] = [];
    const f = new RotatingFile({
      path: file,
      maxbytes: 0,
      backups: 0,
      holdLimit: 100,
      timers: clock,
      onHealth: (e) => health.push(e),
    });
    for (const chunk of shred(numbered(1, 200), 3)) f.write([chunk]);
    assert.deepEqual(
      health.map((h) => h.kind),
      ['failed', 'dropping'],
    );
    mkdirSync(path.join(dir, 'later'));
    clock.advance(1000);
    f.close();
    const [marker, ...rest] = readFileSync(file, 'latin1').split('\n');
    const kept = rest.filter((l) => l !== '').map(Number);
    assert.equal(kept.at(-1), 200, 'the newest line is kept');
    assert.deepEqual(
      kept,
      kept.map((_, i) => (kept[0] ?? 0) + i),
      'whole, consecutive lines',
    );
    const droppedLines = (kept[0] ?? 0) - 1;
    const droppedBytes = numbered(1, droppedLines).length;
    assert.equal(
      marker,
      `[tend] dropped ${droppedBytes} bytes (${droppedLines} lines) of output here, from 2026-01-02T03:04:05.000Z to 2026-01-02T03:04:05.000Z: the log file could not be written (ENOENT)`,
    );
    assert.deepEqual(health.at(-1), { kind: 'recovered', path: file, droppedBytes, droppedLines });
    assert.equal(f.stats.droppedBytes, droppedBytes);
  });

  it('cuts off the line the file ended in when its rest was dropped: no torn line is left', () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const logs = path.join(dir, 'logs');
    mkdirSync(logs);
    const file = path.join(logs, 'out.log');
    const f = new RotatingFile({ path: file, maxbytes: 0, backups: 0, holdLimit: 50, timers: clock });
    f.write([Buffer.from('1\n2\n3\nfour-st')]);
    f.release();
    renameSync(logs, `${logs}.away`);
    f.write([Buffer.from('arted\n'), numbered(5, 60)]);
    renameSync(`${logs}.away`, logs);
    clock.advance(1000);
    f.close();
    const text = readFileSync(file, 'latin1');
    assert.match(text, /^1\n2\n3\n\[tend\] dropped \d+ bytes/);
    assert.ok(!text.includes('four'), 'the torn start of the dropped line is gone');
    assert.ok(text.endsWith('\n60\n'));
    const after = text.split('\n').slice(4, -1).map(Number);
    assert.deepEqual(
      after,
      after.map((_, i) => (after[0] ?? 0) + i),
    );
    const lost = 'four-started\n'.length + numbered(5, (after[0] ?? 0) - 1).length;
    assert.equal(f.stats.droppedBytes, lost, 'the cut-off start is counted with the rest');
  });

  it('ends a started line too long to cut before its marker', () => {
    const dir = tempDir();
    const clock = new FakeClock();
    const logs = path.join(dir, 'logs');
    mkdirSync(logs);
    const file = path.join(logs, 'out.log');
    const f = new RotatingFile({ path: file, maxbytes: 0, backups: 0, holdLimit: 20, timers: clock });
    const long = 'z'.repeat(LINE_MAX + 1);
    f.write([Buffer.from(long)]);
    f.release();
    renameSync(logs, `${logs}.away`);
    f.write([numbered(1, 30)]);
    renameSync(`${logs}.away`, logs);
    clock.advance(1000);
    f.close();
    const lines = readFileSync(file, 'latin1').split('\n');
    assert.equal(lines[0], long);
    assert.match(lines[1] ?? '', /^\[tend\] dropped /);
    assert.equal(lines.at(-2), '30');
  });

  it('writes to /dev/full fail with ENOSPC: the newest bytes are held, all counted, never thrown', () => {
    const health: FileHealth[] = [];
    const f = new RotatingFile({
      path: '/dev/full',
      maxbytes: 0,
      backups: 0,
      holdLimit: 4,
      onHealth: (e) => health.push(e),
    });
    f.write([Buffer.from('abc\n'), Buffer.from('def\n')]);
    f.write([Buffer.from('ghi\n')]);
    assert.equal(f.stats.heldBytes, 4);
    assert.equal(f.stats.droppedLines, 2);
    f.close();
    assert.deepEqual(
      health.map((h) => h.kind),
      ['failed', 'dropping'],
    );
    assert.equal(health[0]?.kind === 'failed' && health[0].error, 'ENOSPC');
    // The newest 4 bytes were held and retried at close; all 12 never reached a disk.
    assert.equal(f.stats.droppedBytes, 12);
  });

  it('reopen() follows a file renamed away by an external logrotate', () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.log');
    const moved = path.join(dir, 'moved.log');
    const f = new RotatingFile({ path: file, maxbytes: 0, backups: 0 });
    f.write([Buffer.from('before\n')]);
    renameSync(file, moved);
    f.write([Buffer.from('still the old file\n')]);
    f.reopen();
    assert.ok(existsSync(file), 'reopen creates the file at its path');
    f.write([Buffer.from('after\n')]);
    f.close();
    assert.equal(readFileSync(moved, 'utf8'), 'before\nstill the old file\n');
    assert.equal(readFileSync(file, 'utf8'), 'after\n');
  });
});
