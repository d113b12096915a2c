import type { TendError } from '../errors/index.js';

/** The outcome of an operation on one process of a group or of `all`. */
export interface OperationResult {
  readonly name: string;
  readonly group: string;
  /** null on success. */
  readonly error: TendError | null;
}

/** getProcessInfo's struct: supervisord's field names and order, times in epoch seconds. */
export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly state: number;
  readonly statename: string;
  readonly spawnerr: string;
  readonly exitstatus: number;
  readonly logfile: string;
  readonly stdout_logfile: string;
  readonly stderr_logfile: string;
  readonly pid: number;
  readonly description: string;
}
