// Small async helpers shared by the harness: clocks, polling with deadlines, running commands.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { trackCommand } from './cleanup.mjs';
import { performance } from 'node:perf_hooks';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Milliseconds from a monotonic clock.
export const now = () => performance.now();

// Resolves true if `promise` did not settle within `ms`, false if it did (its value is dropped).
// The timer is cleared either way, so it never holds the process open.
export const timedOut = (promise, ms) => {
  let timer;
  const expiry = new Promise((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  return Promise.race([promise.then(() => false), expiry]).finally(() => clearTimeout(timer));
};

// Calls `probe` until it returns a value other than undefined/false, at most until `timeoutMs`.
// Polls are sequential (the next starts `intervalMs` after the previous ended), so a slow API is
// never flooded. Throws an error naming `what` and the last probe error on timeout.
export const waitFor = async (probe, { timeoutMs, intervalMs = 25, what }) => {
  const deadline = now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error?.fatal) throw error;
      lastError = error;
    }
    if (now() > deadline) {
      const detail = lastError ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
};

// An error that stops waitFor at once instead of being retried.
export const fatal = (message) => Object.assign(new Error(message), { fatal: true });

// Runs a command to completion with a timeout (SIGKILL on expiry) and returns its exit code,
// output and wall time. Rejects when the exit code is not in `okCodes` (null: any exit code).
export const runCmd = (cmd, args, { env, cwd, timeoutMs = 60_000, okCodes = [0] } = {}) =>
  new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    trackCommand(child);
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        code,
        signal,
        ms: now() - started,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      };
      if (okCodes === null ? signal === null : okCodes.includes(code)) return resolve(result);
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      const tail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
      reject(new Error(`${[cmd, ...args].join(' ')}: ${why}${tail ? `: ${tail}` : ''}`));
    });
  });

// The last lines of a text, for error messages.
export const tail = (text, lines = 5) => text.trim().split('\n').slice(-lines).join('\n');

// The absolute path of a command on PATH (supervisord and PM2 get absolute program paths).
export const which = (command) => {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${command} not found on PATH`);
};
