import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExportFile } from './files.js';

// --out DIR: every file is generated before the first write; then each is written beside its
// final name and renamed into place, so a reader (or a failed run) never sees half a file, and a
// write that fails removes what it had written so far.

export const writeFiles = (dir: string, files: readonly ExportFile[]): string[] => {
  mkdirSync(dir, { recursive: true });
  const staged: { tmp: string; final: string }[] = [];
  try {
    for (const f of files) {
      const final = path.join(dir, f.name);
      const tmp = path.join(dir, `.${f.name}.${process.pid}.tmp`);
      staged.push({ tmp, final });
      writeFileSync(tmp, f.text, { mode: 0o644 });
    }
  } catch (error) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw error;
  }
  for (const s of staged) renameSync(s.tmp, s.final);
  return staged.map((s) => s.final);
};
