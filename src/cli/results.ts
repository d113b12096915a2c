import { isTendError, toExitCode, type ErrorCode, type TendError } from '../errors/index.js';
import { exitCode, usageError, type ExitCode } from './command.js';
import type { Output } from './output.js';

// How supervisorctl reports per-process outcomes and turns them into its exit status
// (set_exitstatus_from_xmlrpc_fault): an ignored code leaves the status alone, any other error
// sets it, the last one wins. The codes' exit numbers come from the catalogue.

export interface ResultBody {
  readonly name: string;
  readonly group: string;
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

/** supervisorctl's words for the faults a user meets; other failures show their message. */
export const REASON: Partial<Record<ErrorCode, string>> = {
  BAD_NAME: 'no such process',
  NO_FILE: 'no such file',
  NOT_EXECUTABLE: 'file is not executable',
  ALREADY_STARTED: 'already started',
  SPAWN_ERROR: 'spawn error',
  ABNORMAL_TERMINATION: 'abnormal termination',
  NOT_RUNNING: 'not running',
  BAD_SIGNAL: 'bad signal name',
};

/** The running exit status of a command: supervisorctl's `self.ctl.exitstatus`, as a catalogue code. */
export class ExitStatus {
  #code: ErrorCode | null = null;

  /** Records an error; `ignored` (ALREADY_STARTED for start, NOT_RUNNING for stop) does not count. */
  fail(code: ErrorCode, ignored?: ErrorCode): void {
    if (code !== ignored) this.#code = toExitCode(code) === 0 ? 'FAILED' : code;
  }

  set(code: ErrorCode): void {
    this.#code = code;
  }

  get value(): ExitCode {
    return exitCode(this.#code);
  }
}

export const errorCode = (r: ResultBody): ErrorCode => (r.error?.code ?? 'FAILED') as ErrorCode;

/** A group spec (`g:*`, `g:`): supervisorctl then says "no such group". */
export const groupOf = (name: string): string | null => {
  const m = /^([^:]*):\*?$/.exec(name);
  return m === null ? null : (m[1] ?? '');
};

/** An error that concerns one name (its line says so); anything else ends the whole command. */
export const perName = (error: unknown): error is TendError =>
  isTendError(error) && !['UNREACHABLE', 'UNAUTHORIZED', 'SHUTDOWN_STATE', 'INTERNAL'].includes(error.code);

export const failureLine = (who: string, code: ErrorCode, message: string, io: Output): void => {
  // supervisorctl prints a FAILED fault's own text instead of a reason.
  io.err(code === 'FAILED' ? message : `${who}: ERROR (${REASON[code] ?? message})`);
};

/**
 * A verb of supervisorctl called without what it needs: supervisorctl's own line
 * (`Error: start requires a process name`) and exit status, and tend's --help hint instead of
 * its help text. Nothing has been sent.
 */
export const supervisorctlUsage = (io: Output, verb: string, what: string, code: ErrorCode): ExitCode => {
  io.err(`Error: ${verb} ${what}`);
  io.err(`hint: ${usageError(verb, what).hint ?? ''}`);
  return exitCode(code);
};
