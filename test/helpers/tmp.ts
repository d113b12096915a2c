import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

// A fresh temp directory per call, removed when the test file finishes. Short paths, because
// unix socket paths must stay under 107 bytes.
export const tempDir = (prefix = 'tend-'): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
};
