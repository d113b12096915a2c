// Wire-visible process and daemon states with supervisord's numeric codes (states.py): the
// protocol's vocabulary. This module imports nothing, so the daemon's layers and the CLI may share it.

export const ProcessStates = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;

export type ProcessState = keyof typeof ProcessStates;

export const PROCESS_STATE_NAMES = Object.keys(ProcessStates) as readonly ProcessState[];

export const isProcessState = (value: string): value is ProcessState => Object.hasOwn(ProcessStates, value);

/** States in which the process is not alive and not about to be. */
export const STOPPED_STATES: ReadonlySet<ProcessState> = new Set(['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN']);
/** States supervisord counts as "running" for start/stop requests (ALREADY_STARTED, NOT_RUNNING). */
export const RUNNING_STATES: ReadonlySet<ProcessState> = new Set(['RUNNING', 'BACKOFF', 'STARTING']);
/** States in which a signal can be delivered. */
export const SIGNALLABLE_STATES: ReadonlySet<ProcessState> = new Set(['RUNNING', 'STARTING', 'STOPPING']);

export const SupervisorStates = {
  FATAL: 2,
  RUNNING: 1,
  RESTARTING: 0,
  SHUTDOWN: -1,
} as const;

export type SupervisorState = keyof typeof SupervisorStates;
