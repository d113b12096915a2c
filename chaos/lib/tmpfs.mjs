// A small tmpfs for the disk-full scenario (needs root; otherwise the scenario says why not).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCmd } from '../../bench/lib/util.mjs';

export const run = async (size, body) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tend-chaos-tmpfs-'));
  try {
    await runCmd('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return body({ skip: `mounting a tmpfs is not permitted here: ${error.message}` });
  }
  try {
    return await body({ dir, grow: (s) => runCmd('mount', ['-o', `remount,size=${s}`, dir]) });
  } finally {
    await runCmd('umount', ['-l', dir], { okCodes: null });
    rmSync(dir, { recursive: true, force: true });
  }
};
