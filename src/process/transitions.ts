import type { ProcessState } from './states.js';
import type { ChildExit } from './spawner.js';

// The lifecycle as one explicit table, as s6-supervise's actions[state][event]: every
// (state, event) pair that can happen names the action that handles it; any other pair is a bug
// and raises InvalidTransition. Timers (startsecs, ready_timeout, watchdog, backoff, stopwaitsecs)
// are events here too. Readiness sources (notify socket, probes, health checks) only deliver
// events; what they mean in each state is decided here.

export type LifecycleEvent =
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  /** The process is ready: startsecs elapsed, READY=1 arrived, or the ready probe passed. */
  | { readonly type: 'ready' }
  /** ready_timeout elapsed while STARTING. */
  | { readonly type: 'readyTimeout' }
  | { readonly type: 'exit'; readonly exit: ChildExit }
  /** The OS refused the spawn after the fact (Node reports EAGAIN/EMFILE asynchronously). */
  | { readonly type: 'spawnError'; readonly errno: string }
  /** A backoff or restart delay elapsed. */
  | { readonly type: 'retry' }
  /** stopwaitsecs elapsed while STOPPING. */
  | { readonly type: 'killTimeout' }
  /**
   * The health check failed healthcheck_retries times in a row (cause 'health', also an event
   * listener that broke the protocol), or WATCHDOG=trigger (cause 'watchdog').
   */
  | { readonly type: 'unhealthy'; readonly reason: string; readonly cause: 'health' | 'watchdog' }
  /** watchdog_sec elapsed without WATCHDOG=1. */
  | { readonly type: 'watchdogExpired' }
  /** WATCHDOG=1 (with WATCHDOG_USEC=, a new watchdog interval). */
  | { readonly type: 'watchdogPing'; readonly usec?: number }
  /** EXTEND_TIMEOUT_USEC=: the current ready or stop timeout must not expire before `ms`. */
  | { readonly type: 'extendTimeout'; readonly ms: number }
  /** A start waited for its depends_on and one of them failed instead of becoming RUNNING. */
  | { readonly type: 'dependencyFailed'; readonly reason: string }
  /**
   * A restart policy decided: memory_limit exceeded memory_limit_checks times in a row (cause
   * 'memory'), or cron_restart's time came (cause 'cron'). Only a RUNNING process is restarted.
   */
  | { readonly type: 'policyRestart'; readonly reason: string; readonly cause: 'memory' | 'cron' };

export type LifecycleEventType = LifecycleEvent['type'];

export type ActionName =
  | 'spawn'
  | 'spawnFresh'
  | 'becomeRunning'
  | 'exitDuringStart'
  | 'exitWhileRunning'
  | 'spawnFailedLate'
  | 'stopNotReady'
  | 'stopForRestart'
  | 'rearmWatchdog'
  | 'extendTimeout'
  | 'beginStop'
  | 'keepStopping'
  | 'escalateKill'
  | 'reapStopped'
  | 'cancelBackoff'
  | 'cancelRestart'
  | 'failDependency'
  | 'ignore';

// Events a readiness source may deliver in any state of a live child; where they mean nothing,
// they are named here as ignored rather than left out (which would be a bug).
const LATE_READINESS = { ready: 'ignore', watchdogPing: 'ignore', extendTimeout: 'ignore' } as const;

export const TRANSITIONS: {
  readonly [S in ProcessState]: Readonly<Partial<Record<LifecycleEventType, ActionName>>>;
} = {
  STOPPED: { start: 'spawnFresh', dependencyFailed: 'failDependency' },
  STARTING: {
    ready: 'becomeRunning',
    readyTimeout: 'stopNotReady',
    unhealthy: 'stopNotReady',
    exit: 'exitDuringStart',
    spawnError: 'spawnFailedLate',
    stop: 'beginStop',
    extendTimeout: 'extendTimeout',
    // The watchdog is armed once the process is RUNNING, as systemd arms it after start-up.
    watchdogPing: 'ignore',
    // A program that is not up yet is not restarted by a schedule or a memory sample.
    policyRestart: 'ignore',
  },
  RUNNING: {
    ...LATE_READINESS,
    exit: 'exitWhileRunning',
    stop: 'beginStop',
    unhealthy: 'stopForRestart',
    watchdogExpired: 'stopForRestart',
    watchdogPing: 'rearmWatchdog',
    policyRestart: 'stopForRestart',
  },
  BACKOFF: { retry: 'spawn', stop: 'cancelBackoff' },
  STOPPING: {
    ...LATE_READINESS,
    exit: 'reapStopped',
    killTimeout: 'escalateKill',
    stop: 'keepStopping',
    extendTimeout: 'extendTimeout',
    unhealthy: 'ignore',
    policyRestart: 'ignore',
  },
  EXITED: { start: 'spawnFresh', retry: 'spawn', stop: 'cancelRestart', dependencyFailed: 'failDependency' },
  FATAL: { start: 'spawnFresh', dependencyFailed: 'failDependency' },
  UNKNOWN: { ...LATE_READINESS, exit: 'reapStopped', unhealthy: 'ignore' },
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
