// The native helpers of the bench, compiled with gcc once per run into a scratch directory:
// limit/spawn.c (the posix_spawn reference), programs/lines.c (output generator and checker) and
// programs/stamp.c (the restart recorder of W3).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCmd, which } from './util.mjs';

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const SOURCES = { spawn: 'limit/spawn.c', lines: 'programs/lines.c', stamp: 'programs/stamp.c' };

// Absolute paths of the compiled helpers, keyed spawn / lines / stamp.
export const buildTools = async (dir) => {
  const tools = {};
  for (const [name, source] of Object.entries(SOURCES)) {
    tools[name] = path.join(dir, name);
    await runCmd('gcc', ['-O2', '-Wall', '-o', tools[name], path.join(benchDir, source)], {
      timeoutMs: 60_000,
    });
  }
  tools.sleep = which('sleep');
  return tools;
};
