import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { RotatingFile } from '../../../src/logs/index.js';
import { readRotated } from '../../helpers/lines.js';
import { tempDir } from '../../helpers/tmp.js';

// For any lines, any way a pipe cuts them into reads and any batching of reads into writes,
// rotation keeps every byte in order, each rotated file within maxbytes, and, when no line is
// longer than a file, every rotated file ends at a line boundary.
describe('RotatingFile rotation (property)', () => {
  it('never loses, reorders or splits lines, whatever the chunking', () => {
    const dir = tempDir();
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 121, max: 3000 }),
        (lineLengths, cuts, perWrite, maxbytes) => {
          const file = path.join(dir, `r${run++}.log`);
          const text = lineLengths.map((n, i) => `${String(i % 10).repeat(n)}\n`).join('');
          const data = Buffer.from(text);
          const chunks: Buffer[] = [];
          for (let pos = 0, i = 0; pos < data.length; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            chunks.push(data.subarray(pos, pos + size));
            pos += size;
          }
          const backups = 1000;
          const f = new RotatingFile({ path: file, maxbytes, backups });
          for (let i = 0; i < chunks.length; i += perWrite) f.write(chunks.slice(i, i + perWrite));
          f.close();
          assert.equal(readRotated(file, backups), text);
          for (let i = 1; existsSync(`${file}.${i}`); i++) {
            const rotated = readFileSync(`${file}.${i}`, 'latin1');
            assert.ok(rotated.length <= maxbytes, `${file}.${i} has ${rotated.length} > ${maxbytes} bytes`);
            assert.ok(rotated.endsWith('\n'), `${file}.${i} ends mid-line`);
            rmSync(`${file}.${i}`);
          }
          rmSync(file, { force: true });
        },
      ),
      { numRuns: 300 },
    );
  });
});
