import { toTendError } from '../errors/index.js';
import { clearProcessLogs } from './operations.js';
import type { OperationResult } from './results.js';
import type { Supervisor, Target } from './supervisor.js';

/** clearAllProcessLogs: empties the logs of each target, one result per process. */
export const clearLogsOf = (sup: Supervisor, targets: readonly Target[]): OperationResult[] =>
  targets.map((t) => {
    const { name, group } = t.entry.proc.config;
    try {
      clearProcessLogs(sup, t.namespec);
      return { name, group, error: null };
    } catch (error) {
      return { name, group, error: toTendError(error) };
    }
  });
