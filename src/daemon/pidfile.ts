import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { TendError } from '../errors/index.js';

// The pid file is the daemon's claim on its config. It is checked before anything else, because a
// second daemon on the same config would otherwise take the first one's live programs for
// leftovers of a crash and stop them (or, with no control socket to collide on, run every program
// twice). A pid in the file that belongs to a live tend or supervisord refuses the start; a stale
// one (no such process, or a pid reused by something else) is replaced.

const runsDaemon = (pid: number): boolean => {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    return /tend|supervisord/.test(cmdline);
  } catch {
    // No /proc (macOS): a live process with that pid is assumed to be the daemon.
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
};

const recordedPid = (file: string): number | null => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/** Claims the pid file for this process; throws ALREADY_RUNNING when another daemon holds it. */
export const claimPidfile = (file: string): void => {
  const pid = recordedPid(file);
  if (pid !== null && pid !== process.pid && runsDaemon(pid)) {
    throw new TendError(
      'ALREADY_RUNNING',
      `another daemon (pid ${pid}) is running with the pid file ${file}`,
      {
        hint: 'stop it first, or give this config its own [supervisord] pidfile',
      },
    );
  }
  writeFileSync(file, `${process.pid}\n`);
};

/** Removes the pid file if it is still ours. */
export const releasePidfile = (file: string): void => {
  if (recordedPid(file) === process.pid) rmSync(file, { force: true });
};
