import type { ProcessState } from './states.js';
import type { ChildExit } from './spawner.js';

// The lifecycle as one explicit table, as s6-supervise's actions[state][event]: every
// (state, event) pair that can happen names the action that handles it; any other pair is a bug
// and raises InvalidTransition. Timers (startsecs, backoff, stopwaitsecs) are events here too.

export type LifecycleEvent =
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  /** The process is ready: startsecs elapsed (or, with readiness probes, the probe passed). */
  | { readonly type: 'ready' }
  | { readonly type: 'exit'; readonly exit: ChildExit }
  /** The OS refused the spawn after the fact (Node reports EAGAIN/EMFILE asynchronously). */
  | { readonly type: 'spawnError'; readonly errno: string }
  /** A backoff or restart delay elapsed. */
  | { readonly type: 'retry' }
  /** stopwaitsecs elapsed while STOPPING. */
  | { readonly type: 'killTimeout' };

export type LifecycleEventType = LifecycleEvent['type'];

export type ActionName =
  | 'spawn'
  | 'spawnFresh'
  | 'becomeRunning'
  | 'exitDuringStart'
  | 'exitWhileRunning'
  | 'spawnFailedLate'
  | 'beginStop'
  | 'escalateKill'
  | 'reapStopped'
  | 'cancelBackoff'
  | 'cancelRestart'
  | 'ignore';

export const TRANSITIONS: {
  readonly [S in ProcessState]: Readonly<Partial<Record<LifecycleEventType, ActionName>>>;
} = {
  STOPPED: { start: 'spawnFresh' },
  STARTING: {
    ready: 'becomeRunning',
    exit: 'exitDuringStart',
    spawnError: 'spawnFailedLate',
    stop: 'beginStop',
  },
  RUNNING: { exit: 'exitWhileRunning', stop: 'beginStop' },
  BACKOFF: { retry: 'spawn', stop: 'cancelBackoff' },
  STOPPING: { exit: 'reapStopped', killTimeout: 'escalateKill', stop: 'ignore' },
  EXITED: { start: 'spawnFresh', retry: 'spawn', stop: 'cancelRestart' },
  FATAL: { start: 'spawnFresh' },
  UNKNOWN: { exit: 'reapStopped' },
};

export class InvalidTransition extends Error {
  readonly state: ProcessState;
  readonly event: LifecycleEventType;
  constructor(process: string, state: ProcessState, event: LifecycleEventType) {
    super(`invalid transition for ${process}: event '${event}' in state ${state}`);
    this.name = 'InvalidTransition';
    this.state = state;
    this.event = event;
  }
}

export const actionFor = (state: ProcessState, event: LifecycleEventType): ActionName | undefined =>
  TRANSITIONS[state][event];
