// The "physical limit" row: the same work done with no daemon at all, by the C helpers.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { runCmd } from '../lib/util.mjs';

// posix_spawn N copies of argv, then SIGTERM and reap them: { spawn_s, stop_s }.
export const spawnAndStop = async (tools, n, argv) => {
  const { stdout } = await runCmd(tools.spawn, ['start', String(n), ...argv], { timeoutMs: 300_000 });
  return JSON.parse(stdout);
};

// posix_spawn argv and wait for it, `runs` times in a row.
export const spawnRepeatedly = (tools, runs, argv) =>
  runCmd(tools.spawn, ['repeat', String(runs), ...argv], { timeoutMs: 300_000 });

// Starts argv with its stdout appended straight to `file`; resolves when it exits.
export const runToFile = (argv, file) =>
  new Promise((resolve, reject) => {
    const fd = openSync(file, 'a');
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${argv[0]} exited ${code}`))));
  });
