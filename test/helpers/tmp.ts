import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

// A fresh temp directory per call, removed when the test file finishes. Short paths, because
// unix socket paths must stay under 107 bytes.
export const tempDir = (prefix = 'tend-'): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  after(() => {
    // Cleanup must never throw: a failing after() hook skips the ones registered after it, and
    // one of those stops a daemon that would otherwise keep the test process alive.
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      console.error(`could not remove ${dir}: ${String(error)}`);
    }
  });
  return dir;
};
