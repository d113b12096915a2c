import type { ProcessState, SupervisorState } from '../protocol/states.js';

// Every event the bus carries. Names mirror supervisord's event types (events.py) so the
// event-listener protocol, the SSE stream and the daemon log read from one source.

export interface ProcessRef {
  readonly name: string;
  readonly group: string;
}

export interface ProcessStateEvent {
  readonly process: ProcessRef;
  readonly from: ProcessState;
  readonly to: ProcessState;
  /** Pid at the time of the change (the old pid for STOPPED/EXITED, as supervisord reports). */
  readonly pid: number;
  /** The backoff counter (supervisord's `tries`). */
  readonly tries: number;
  /** For EXITED: whether the exit code was in exitcodes. */
  readonly expected: boolean;
  readonly spawnerr: string;
  /** Epoch milliseconds. */
  readonly time: number;
}

export interface SupervisorStateEvent {
  readonly from: SupervisorState;
  readonly to: SupervisorState;
  readonly time: number;
}

export interface GroupEvent {
  readonly group: string;
  readonly time: number;
}

export interface EventMap {
  'process-state': ProcessStateEvent;
  'supervisor-state': SupervisorStateEvent;
  'group-added': GroupEvent;
  'group-removed': GroupEvent;
}

export type EventName = keyof EventMap;
