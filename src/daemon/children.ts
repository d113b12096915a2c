import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import type { Spawner } from '../process/index.js';

// No orphans, no duplicates (DESIGN.md §3). Every child tend spawns is recorded in a state file
// beside the pid file, with the start time the kernel gives it (/proc/PID/stat field 22), so a pid
// reused by an unrelated process is never mistaken for ours. Two things read the file:
// - the guardian (guardian.ts), which stops the recorded process groups the moment the daemon
//   dies without cleaning up (kill -9, OOM killer);
// - the next daemon at start-up, which stops whatever is still alive before spawning anything,
//   in case the guardian was killed too.
// The file is append-only (`+` when a child starts, `-` when it is reaped) and compacted when it
// grows, so recording costs one small write per spawn and per exit.

export interface ChildRecord {
  readonly pid: number;
  /** Kernel start time in clock ticks since boot; 0 where /proc is unavailable. */
  readonly startTime: number;
  readonly stopSignal: string;
  readonly stopWaitSecs: number;
  readonly name: string;
}

/** Field 22 of /proc/PID/stat, parsed after the last `)` because the command name may hold spaces. */
export const processStartTime = (pid: number): number | undefined => {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = Number(fields[19]);
  return Number.isFinite(value) ? value : undefined;
};

export const parseState = (text: string): ChildRecord[] => {
  const live = new Map<number, ChildRecord>();
  for (const line of text.split('\n')) {
    const [op, pid, startTime, stopSignal, stopWaitSecs, name] = line.split(' ');
    if (op === '+' && pid !== undefined && name !== undefined) {
      live.set(Number(pid), {
        pid: Number(pid),
        startTime: Number(startTime),
        stopSignal: stopSignal ?? 'TERM',
        stopWaitSecs: Number(stopWaitSecs),
        name,
      });
    } else if (op === '-' && pid !== undefined) {
      live.delete(Number(pid));
    }
  }
  return [...live.values()];
};

// The name is only for messages; anything that could break the line format (whitespace, a
// newline from a continuation line) is replaced, so one record is always one line.
const safeName = (name: string): string => name.replace(/[^\x21-\x7e]/g, '_') || '_';

const formatRecord = (r: ChildRecord): string =>
  `+ ${r.pid} ${r.startTime} ${r.stopSignal} ${r.stopWaitSecs} ${safeName(r.name)}\n`;

export class ChildRegistry {
  readonly path: string;
  readonly #live = new Map<number, ChildRecord>();
  #fd: number;
  #lines = 0;

  constructor(path: string) {
    this.path = path;
    writeFileSync(path, '', { mode: 0o600 });
    this.#fd = openSync(path, 'a');
  }

  add(record: ChildRecord): void {
    this.#live.set(record.pid, record);
    this.#append(formatRecord(record));
  }

  remove(pid: number): void {
    if (!this.#live.delete(pid)) return;
    this.#append(`- ${pid}\n`);
  }

  #append(line: string): void {
    writeSync(this.#fd, line);
    this.#lines += 1;
    if (this.#lines > 2 * this.#live.size + 256) this.#compact();
  }

  // Rewrite in place: the guardian reads the file only after the daemon is gone, so there is no
  // reader to race with.
  #compact(): void {
    closeSync(this.#fd);
    writeFileSync(this.path, [...this.#live.values()].map(formatRecord).join(''), { mode: 0o600 });
    this.#fd = openSync(this.path, 'a');
    this.#lines = this.#live.size;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** A spawner that records every child in the registry for as long as it lives. */
export const recordingSpawner = (inner: Spawner, registry: ChildRegistry): Spawner => ({
  spawn(request) {
    const child = inner.spawn(request);
    if (child.pid !== 0) {
      const pid = child.pid;
      registry.add({
        pid,
        startTime: child.startTime ?? processStartTime(pid) ?? 0,
        stopSignal: request.stop.signal,
        stopWaitSecs: request.stop.waitSecs,
        name: request.name,
      });
      child.onExit(() => {
        registry.remove(pid);
      });
    }
    return child;
  },
  kill: (pid, signal, group) => inner.kill(pid, signal, group),
  probe: (pid, group) => inner.probe(pid, group),
});

/** Recorded children of an earlier run whose process group is still alive. */
export const findLeftovers = (path: string, spawner: Spawner): ChildRecord[] => {
  if (!existsSync(path)) return [];
  return parseState(readFileSync(path, 'utf8')).filter((record) => {
    const startTime = processStartTime(record.pid);
    // The leader is alive but is another process that got the same pid: not ours.
    if (startTime !== undefined && record.startTime !== 0 && startTime !== record.startTime) return false;
    return spawner.probe(record.pid, true);
  });
};
