import { existsSync, readFileSync } from 'node:fs';

// Reads file, file.1 … file.N oldest first and checks that numbered lines (one integer per line,
// as `seq` writes them) arrive complete: no gap, no duplicate, no reordering, nothing else.
export interface LineCheck {
  readonly count: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  readonly garbage: number;
}

export const readRotated = (file: string, backups: number): string => {
  const parts: string[] = [];
  for (let i = backups; i >= 1; i--) {
    if (existsSync(`${file}.${i}`)) parts.push(readFileSync(`${file}.${i}`, 'latin1'));
  }
  if (existsSync(file)) parts.push(readFileSync(file, 'latin1'));
  return parts.join('');
};

export const checkNumberedLines = (text: string, expected: number, first = 1): LineCheck => {
  const seen = new Set<number>();
  let duplicated = 0;
  let outOfOrder = 0;
  let garbage = 0;
  let previous = first - 1;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const n = Number(line.trim());
    if (!Number.isInteger(n)) {
      garbage++;
      continue;
    }
    if (seen.has(n)) duplicated++;
    if (n < previous) outOfOrder++;
    seen.add(n);
    previous = n;
  }
  let lost = 0;
  for (let i = first; i < first + expected; i++) if (!seen.has(i)) lost++;
  return { count: seen.size, lost, duplicated, outOfOrder, garbage };
};
