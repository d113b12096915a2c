import { readFileSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { TendError } from '../errors/index.js';
import { processStartTime } from './children.js';

// The pid file is the daemon's claim on its config. It is checked before anything else, because a
// second daemon on the same config would otherwise take the first one's live programs for
// leftovers of a crash and stop them (or, with no control socket to collide on, run every program
// twice). A pid in the file that belongs to a live tend daemon or supervisord that started before
// the file was written refuses the start; a stale one (no such process, or a pid reused by
// something else) is replaced.

/** Whether a command line is a tend daemon or a supervisord (not `tend status`, not `vim tend.conf`). */
export const isDaemonCommand = (argv: readonly string[]): boolean => {
  // The program is among the first words: `node [flags] /path/bin/tend daemon`, `python3 supervisord`.
  const head = argv.slice(0, 4).map((word) => path.basename(word));
  return head.includes('supervisord') || (head.includes('tend') && argv.includes('daemon'));
};

// A process that started after the pid file was written has reused the pid: the file is stale.
const startedBefore = (pid: number, file: string): boolean => {
  const ticks = processStartTime(pid);
  const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1];
  if (ticks === undefined || btime === undefined) return true;
  // Clock ticks are 1/100 s on Linux; a second of slack covers the rounding.
  return Number(btime) * 1000 + ticks * 10 <= statSync(file).mtimeMs + 1000;
};

const runsDaemon = (pid: number, file: string): boolean => {
  // The parent is never the earlier daemon (pids are reused in the same order in containers:
  // the `sh -c "tend daemon"` that started this one may hold the pid the last daemon had).
  if (pid === process.ppid) return false;
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
  } catch {
    // No /proc (macOS): a live process of ours with that pid is assumed to be the daemon.
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return isDaemonCommand(argv) && startedBefore(pid, file);
};

const recordedPid = (file: string): number | null => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/**
 * Claims the pid file for this process; throws ALREADY_RUNNING when another daemon holds it.
 * Returns the release: it removes the file if it is still ours.
 */
export const claimPidfile = (file: string): (() => void) => {
  const pid = recordedPid(file);
  if (pid !== null && pid !== process.pid && runsDaemon(pid, file)) {
    throw new TendError(
      'ALREADY_RUNNING',
      `another daemon (pid ${pid}) is running with the pid file ${file}`,
      {
        hint: 'stop it first, or give this config its own [supervisord] pidfile',
      },
    );
  }
  writeFileSync(file, `${process.pid}\n`);
  const written = statSync(file);
  // Reading needs a descriptor, and a daemon that ran out of them must still clean up: a file
  // that cannot be read is ours if it is the very file written here (stat needs no descriptor).
  return () => {
    const pid = recordedPid(file);
    if (pid === process.pid || (pid === null && unchanged(file, written))) rmSync(file, { force: true });
  };
};

const unchanged = (file: string, written: Stats): boolean => {
  try {
    const now = statSync(file);
    return now.ino === written.ino && now.mtimeMs === written.mtimeMs && now.size === written.size;
  } catch {
    return false;
  }
};
