import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// The last N lines of a log file, for `tend logs -n N`: read backwards in blocks until N line
// ends are found (a final line without its newline counts as a line), never reading more than
// `maxBytes`. Returns the bytes and the file size they end at.

const BLOCK = 64 * 1024;

const countNewlines = (buffer: Buffer): number => {
  let count = 0;
  for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) count++;
  return count;
};

export const readLastLines = (file: string, lines: number, maxBytes = 16 * 1024 * 1024): Buffer => {
  if (lines <= 0) return Buffer.alloc(0);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const blocks: Buffer[] = [];
    let start = size;
    let newlines = 0;
    let lastByteChecked = false;
    while (start > 0 && size - start < maxBytes) {
      const length = Math.min(BLOCK, start);
      start -= length;
      const block = Buffer.alloc(length);
      readSync(fd, block, 0, length, start);
      if (!lastByteChecked) {
        // A trailing newline ends the last line; it does not start another one.
        if (block[length - 1] === 10) newlines--;
        lastByteChecked = true;
      }
      blocks.unshift(block);
      newlines += countNewlines(block);
      if (newlines >= lines) break;
    }
    const all = Buffer.concat(blocks);
    let cut = 0;
    for (let extra = newlines - lines; extra >= 0; extra--) cut = all.indexOf(10, cut) + 1;
    return newlines >= lines ? all.subarray(cut) : all;
  } finally {
    closeSync(fd);
  }
};
