import type { ProcessState, SupervisorState } from '../protocol/states.js';
import type { EventType } from './names.js';

// What each event carries. Every observer reads these objects: the listener pools (which encode
// supervisord's payloads from them, wire.ts), the SSE stream (as JSON), the daemon log, and
// later metrics, alerts and the dashboard. So each carries everything any of them needs, fixed
// at the moment it happened (the pid of a STOPPED event is the pid that stopped, as supervisord's).

/** Stamped by the bus when the event is emitted. */
export interface Stamp {
  /** One increasing number per supervisor instance (the SSE `id:`, the listener `serial:`). */
  readonly serial: number;
  /** Epoch milliseconds. */
  readonly time: number;
}

/** Which process an event is about. */
export interface ProcessRef {
  readonly group: string;
  readonly name: string;
}

export type ProcessStateType = `PROCESS_STATE_${ProcessState}`;

export interface ProcessStateEvent extends ProcessRef {
  readonly type: ProcessStateType;
  readonly from: ProcessState;
  readonly to: ProcessState;
  /** The pid at the time of the change (the old pid for STOPPED/EXITED), 0 when none. */
  readonly pid: number;
  /** The backoff counter (supervisord's `tries`). */
  readonly tries: number;
  /** Whether the exit was expected (EXITED; true for the other states, as supervisord). */
  readonly expected: boolean;
  /** The exit status for EXITED/STOPPED (-1 for a signal), else null. */
  readonly exitStatus: number | null;
  /** Why, when there is a why: the spawn error, a bad exit code, the flap guard, a failed start. */
  readonly spawnerr: string;
}

export type Channel = 'stdout' | 'stderr';

/** PROCESS_LOG_* (one per chunk read, when *_events_enabled) and PROCESS_COMMUNICATION_*. */
export interface ProcessOutputEvent extends ProcessRef {
  readonly type:
    | 'PROCESS_LOG_STDOUT'
    | 'PROCESS_LOG_STDERR'
    | 'PROCESS_COMMUNICATION_STDOUT'
    | 'PROCESS_COMMUNICATION_STDERR';
  readonly pid: number;
  readonly channel: Channel;
  /** The bytes as text, as supervisord makes them: UTF-8, or `Undecodable: b'…'`. */
  readonly data: string;
}

export interface RemoteCommunicationEvent {
  readonly type: 'REMOTE_COMMUNICATION';
  /** The `type` argument of sendRemoteCommEvent. */
  readonly remoteType: string;
  readonly data: string;
}

export interface SupervisorStateEvent {
  readonly type: 'SUPERVISOR_STATE_CHANGE_RUNNING' | 'SUPERVISOR_STATE_CHANGE_STOPPING';
  /** The daemon's state now: RUNNING, or SHUTDOWN/RESTARTING for STOPPING. */
  readonly state: SupervisorState;
}

export interface GroupEvent {
  readonly type: 'PROCESS_GROUP_ADDED' | 'PROCESS_GROUP_REMOVED';
  readonly group: string;
}

export interface TickEvent {
  readonly type: 'TICK_5' | 'TICK_60' | 'TICK_3600';
  /** Epoch seconds, floored to the period (supervisord's `when`). */
  readonly when: number;
}

export interface HealthEvent extends ProcessRef {
  readonly type: 'PROCESS_HEALTH_HEALTHY' | 'PROCESS_HEALTH_UNHEALTHY';
  readonly pid: number;
  /** The check as configured, e.g. `http://127.0.0.1:8080/health`. */
  readonly check: string;
  /** The failing check's detail (UNHEALTHY), e.g. `HTTP 503`; null when healthy. */
  readonly detail: string | null;
  /** Failures in a row that counted. */
  readonly failures: number;
}

export interface ReadyEvent extends ProcessRef {
  readonly type: 'PROCESS_READY';
  readonly pid: number;
  /** How readiness was decided: `startsecs`, `notify`, `tcp`, `http`, `exec`. */
  readonly via: string;
  /** The `ready` setting as written (`startsecs` for the default). */
  readonly ready: string;
  /** From spawn to ready. */
  readonly startupMs: number;
}

/** Why tend restarts a process. memory and cron are tend's limits that other work adds. */
export type RestartReason = 'crash' | 'health' | 'watchdog' | 'memory' | 'cron' | 'operator';

export interface RestartEvent extends ProcessRef {
  readonly type: 'PROCESS_RESTART';
  /** The pid being replaced (0 when it is already gone). */
  readonly pid: number;
  readonly reason: RestartReason;
  /** The details: the exit, the failed check, who asked. */
  readonly detail: string;
  /** How long until the new spawn (the restart delay), when known. */
  readonly delayMs: number | null;
}

export interface FlapGuardEvent extends ProcessRef {
  readonly type: 'PROCESS_FLAP_GUARD';
  /** Restarts counted within the window. */
  readonly restarts: number;
  /** restart_limit and restart_window (seconds). */
  readonly limit: number;
  readonly windowSecs: number;
}

export interface LogDropEvent extends ProcessRef {
  readonly type: 'LOG_BYTES_DROPPED';
  readonly channel: Channel;
  readonly path: string;
  /**
   * failed: the file cannot be written, output is held; dropping: the hold is full, its oldest
   * lines are dropped from now on (the file will mark where); recovered: writable again.
   */
  readonly phase: 'failed' | 'dropping' | 'recovered';
  /** phase === 'recovered'. */
  readonly recovered: boolean;
  /** Bytes lost since writing failed (0 until recovered, then the total). */
  readonly droppedBytes: number;
  /** Whole lines lost since writing failed (0 until recovered, then the total). */
  readonly droppedLines: number;
  /** Why writing fails (ENOSPC, EACCES…), null once recovered. */
  readonly error: string | null;
}

/** An [alert:x] message delivered (ALERT_SENT) or given up after its retries (ALERT_FAILED). */
export interface AlertEvent {
  readonly type: 'ALERT_SENT' | 'ALERT_FAILED';
  /** The alert's name, [alert:NAME]. */
  readonly alert: string;
  /** webhook or mail. */
  readonly via: 'webhook' | 'mail';
  /** Events the message carried (0 for a test message). */
  readonly events: number;
  /** The namespecs the message was about, sorted. */
  readonly programs: readonly string[];
  /** Delivery attempts made. */
  readonly attempts: number;
  /** Why the last attempt failed (ALERT_FAILED), else null. */
  readonly error: string | null;
}

/** A rolling restart of one program (docs/zero-downtime.md): its start, each step, its end. */
export interface RolloutEvent {
  readonly type:
    'ROLLOUT_STARTED' | 'ROLLOUT_STEP' | 'ROLLOUT_SUCCEEDED' | 'ROLLOUT_FAILED' | 'ROLLOUT_ABORTED';
  readonly group: string;
  /** The program (section name) being rolled. */
  readonly program: string;
  /** Numbers the daemon's rollouts, so the events of one can be told from the next. */
  readonly rollout: number;
  /** What asked for it: `restart` (tend restart, the JSON API) or `reload` (a changed config). */
  readonly cause: 'restart' | 'reload';
  /** Instances replaced so far, and how many are to be. */
  readonly done: number;
  readonly total: number;
  /** STEP: what just happened; FAILED/ABORTED: why; otherwise a summary. */
  readonly detail: string;
}

/** An event as an emitter gives it, before the bus stamps it. */
export type EventBody =
  | ProcessStateEvent
  | ProcessOutputEvent
  | RemoteCommunicationEvent
  | SupervisorStateEvent
  | GroupEvent
  | TickEvent
  | HealthEvent
  | ReadyEvent
  | RestartEvent
  | FlapGuardEvent
  | LogDropEvent
  | AlertEvent
  | RolloutEvent;

/** An event as observers receive it. */
export type TendEvent = EventBody & Stamp;

// One member of a union narrowed to the types in T (never when it has none of them).
type Narrow<M, T> = M extends { readonly type: infer U }
  ? [Extract<U, T>] extends [never]
    ? never
    : M & { readonly type: Extract<U, T> }
  : never;

/** The events emitted as one of the types in `T`. */
export type EventOf<T extends EventType> = Narrow<TendEvent, T>;
