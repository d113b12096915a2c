import type { ExitRecord, StateChange } from '../protocol/process-info.js';

// What a process remembers of its past for `tend describe` and the API: its last state changes
// and exits, and how often it was restarted without being asked. Bounded: a process that flaps
// for weeks keeps the same few entries.

export const KEPT_STATES = 20;
export const KEPT_EXITS = 10;

const push = <T>(list: T[], item: T, keep: number): void => {
  list.push(item);
  if (list.length > keep) list.splice(0, list.length - keep);
};

export class History {
  readonly states: StateChange[] = [];
  readonly exits: ExitRecord[] = [];
  /** Automatic starts: crash restarts, backoff retries, health and watchdog restarts. */
  restarts = 0;

  recordState(change: StateChange): void {
    push(this.states, change, KEPT_STATES);
  }

  recordExit(exit: ExitRecord): void {
    push(this.exits, exit, KEPT_EXITS);
  }
}
