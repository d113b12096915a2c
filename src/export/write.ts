import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TendError } from '../errors/index.js';
import type { ExportFile } from './files.js';

// --out DIR: every file is generated before the first write; then each is written beside its
// final name and renamed into place, so a reader (or a failed run) never sees half a file, and a
// write that fails removes what it had written so far. A name taken by something other than a
// file is refused before anything is written, so the renames do not fail half-way.

const refuse = (dir: string, why: string): TendError =>
  new TendError('VALIDATION', `cannot write the export to ${dir}: ${why}`);

const checkTargets = (dir: string, files: readonly ExportFile[]): void => {
  for (const f of files) {
    const final = path.join(dir, f.name);
    try {
      if (!lstatSync(final).isFile()) throw refuse(dir, `${final} exists and is not a file`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
};

export const writeFiles = (dir: string, files: readonly ExportFile[]): string[] => {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw refuse(dir, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  checkTargets(dir, files);
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
    throw refuse(dir, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  for (const s of staged) renameSync(s.tmp, s.final);
  return staged.map((s) => s.final);
};
