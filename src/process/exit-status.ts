import { constants } from 'node:os';
import type { ChildExit } from './spawner.js';

export interface DecodedExit {
  /** supervisord's exitstatus: the exit code, or -1 after death by a signal. */
  readonly status: number;
  /** `exit status 3`, `terminated by SIGTERM` or `terminated by SIGSEGV (core dumped)`, as supervisord's decode_wait_status words it. */
  readonly message: string;
}

export const decodeExit = (exit: ChildExit): DecodedExit => {
  if (exit.signal !== null) {
    return {
      status: -1,
      message: `terminated by ${exit.signal}${exit.core === true ? ' (core dumped)' : ''}`,
    };
  }
  if (exit.code !== null) return { status: exit.code, message: `exit status ${exit.code}` };
  return { status: -1, message: 'unknown termination cause' };
};

/** Canonical signal name without SIG (TERM), or undefined when the OS has no such signal. */
export const signalNumber = (name: string): number | undefined =>
  (constants.signals as Record<string, number | undefined>)[`SIG${name}`];
