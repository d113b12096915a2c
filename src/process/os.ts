import { fstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { SpawnFailure, type SpawnRequest } from './spawner.js';

// What both spawners (spawn.ts over child_process, spawn-native.ts over the addon) share: the
// checks before a spawn and the wait for a child's pipes before its exit is reported. With
// spawn*.ts and native.ts, the only code that touches processes (STYLE.md §4).

export const isRoot = (): boolean => process.getuid?.() === 0;

/** Variable names a shell (and the addon's pid slots) accept. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** user= needs root, unless it is the daemon's own user (supervisord's message). */
export const checkUser = (request: SpawnRequest): void => {
  if (request.user === null || isRoot() || process.getuid === undefined) return;
  if (request.user.uid !== process.getuid()) {
    throw new SpawnFailure(`couldn't setuid to ${request.user.uid}: Can't drop privilege as nonroot user`);
  }
};

// The exit of a child is reported only once its output pipes have been read to the end, so its
// last words are in the log before its state changes, as supervisord's finish() drains first.
// After the child is gone, a pipe stays open while another process holds its write end: a member
// of the child's process group, or a descendant that left the group (setsid, a daemonizing
// grandchild). If members remain, one may hold the pipe forever, so the exit is reported after
// DRAIN_SHORT_MS and the rest of the output keeps flowing into the same log. If the group is empty,
// EOF is near unless a process outside the group holds the pipe: after DRAIN_SHORT_MS the pipes'
// holders are looked up in /proc (rare: only when EOF is late), and the exit is reported at once
// if there are any; otherwise EOF is waited for (up to DRAIN_LONG_MS on a very busy machine).
// An expired bound still waits for the poll phase of that loop turn (setImmediate), so output
// already waiting in the pipe is read first.
const DRAIN_SHORT_MS = 200;
const DRAIN_LONG_MS = 5000;

const groupHasMembers = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return groupHasLiveMember(pgid);
};

/** Resolves when the stream has ended or closed (at once if it already has). */
export const streamEnd = (stream: Readable): Promise<void> =>
  stream.readableEnded || stream.destroyed
    ? Promise.resolve()
    : new Promise((resolve) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
      });

export const afterPipesDrained = (
  ends: readonly Promise<void>[],
  pgid: number,
  done: () => void,
  pipeFds: () => readonly number[] = () => [],
): void => {
  let fired = false;
  const finish = (): void => {
    if (fired) return;
    fired = true;
    clearTimeout(timer);
    done();
  };
  const grouped = groupHasMembers(pgid);
  let timer = setTimeout(() => {
    if (grouped || pipesHeldElsewhere(pipeFds())) setImmediate(finish);
    else timer = setTimeout(() => setImmediate(finish), DRAIN_LONG_MS - DRAIN_SHORT_MS);
  }, DRAIN_SHORT_MS);
  void Promise.all(ends).then(finish);
};

/** The kernel's names (`pipe:[INODE]`) of the pipes behind the daemon's own `fds`. */
const pipeNames = (fds: readonly number[]): Set<string> => {
  const names = new Set<string>();
  for (const fd of fds) {
    try {
      names.add(`pipe:[${fstatSync(fd).ino}]`);
    } catch {
      // closed already: that pipe has ended
    }
  }
  return names;
};

/** Whether a process other than the daemon holds one of these pipes (through /proc). */
export const pipesHeldElsewhere = (fds: readonly number[]): boolean => {
  const names = pipeNames(fds);
  if (names.size === 0) return false;
  const self = String(process.pid);
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return false;
  }
  for (const pid of pids) {
    if (pid === self || pid.charCodeAt(0) < 48 || pid.charCodeAt(0) > 57) continue;
    let fdNames: string[];
    try {
      fdNames = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fdNames) {
      try {
        if (names.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
};

// A zombie still answers kill(-pgid, 0) until its new parent reaps it, which some init systems do
// late (and a container's PID 1 may never do). Where /proc exists, a group counts as alive only
// while one of its members is not a zombie.
export const groupHasLiveMember = (pgid: number): boolean => {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
};
