import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { run } from './daemon.js';

// A small tmpfs for tests that need a disk that really fills up (ENOSPC) and then has room again
// (`grow`). Mounting needs root (CAP_SYS_ADMIN); where it is not allowed the caller gets the
// reason to print with t.skip(). Unmounted when the test file ends, after the daemons that may
// still write there (they are stopped by hooks registered later, which run first).

export interface Tmpfs {
  readonly dir: string;
  /** Remounts with a new size: more room without touching the files. */
  grow(size: string): Promise<void>;
}

export const mountTmpfs = async (size: string): Promise<Tmpfs | { skip: string }> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tend-tmpfs-'));
  const mount = await run('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  if (mount.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `mounting a ${size} tmpfs is not permitted here (needs root): ${mount.stderr.trim()}` };
  }
  after(async () => {
    await run('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    grow: async (newSize) => {
      const remount = await run('mount', ['-o', `remount,size=${newSize}`, dir]);
      if (remount.code !== 0) throw new Error(`remount ${dir}: ${remount.stderr}`);
    },
  };
};
