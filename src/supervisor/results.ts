import type { TendError } from '../errors/index.js';

export type { ProcessInfo } from '../protocol/process-info.js';

/** The outcome of an operation on one process of a group or of `all`. */
export interface OperationResult {
  readonly name: string;
  readonly group: string;
  /** null on success. */
  readonly error: TendError | null;
}
