import { isTendError, toExitCode, type ErrorCode } from '../../errors/index.js';
import type { Client } from '../client.js';
import type { Output } from '../output.js';

// `tend start|stop|restart NAME…`: one call per name, in order (as supervisorctl does), printing
// supervisorctl's lines (`web: started`, `web: ERROR (spawn error)`) and its exit codes.

export type Verb = 'start' | 'stop' | 'restart';

interface ResultBody {
  readonly name: string;
  readonly group: string;
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

const DONE: Record<Verb, string> = { start: 'started', stop: 'stopped', restart: 'started' };

// supervisorctl's wording for the faults a user meets; other failures show their message.
const REASON: Partial<Record<ErrorCode, string>> = {
  BAD_NAME: 'no such process',
  NO_FILE: 'no such file',
  NOT_EXECUTABLE: 'file is not executable',
  ALREADY_STARTED: 'already started',
  SPAWN_ERROR: 'spawn error',
  ABNORMAL_TERMINATION: 'abnormal termination',
  NOT_RUNNING: 'not running',
};

// What does not count as a failure: starting what runs, stopping what is stopped.
const IGNORED: Record<Verb, ErrorCode | null> = {
  start: 'ALREADY_STARTED',
  stop: 'NOT_RUNNING',
  restart: null,
};

const label = (r: { name: string; group: string }): string =>
  r.name === r.group ? r.name : `${r.group}:${r.name}`;

const failure = (verb: Verb, who: string, code: ErrorCode, message: string, io: Output): number => {
  io.err(`${who}: ERROR (${REASON[code] ?? message})`);
  return code === IGNORED[verb] ? 0 : toExitCode(code);
};

export const control = async (
  client: Client,
  verb: Verb,
  names: readonly string[],
  io: Output,
): Promise<number> => {
  let exit = 0;
  for (const name of names) {
    try {
      const { results } = await client.call<{ results: ResultBody[] }>(
        'POST',
        `/api/v1/processes/${encodeURIComponent(name)}/${verb}`,
      );
      for (const r of results) {
        if (r.ok) io.out(`${label(r)}: ${DONE[verb]}`);
        else {
          const code = (r.error?.code ?? 'FAILED') as ErrorCode;
          exit = Math.max(exit, failure(verb, label(r), code, r.error?.message ?? '', io));
        }
      }
    } catch (error) {
      if (!isTendError(error) || error.code === 'UNREACHABLE' || error.code === 'SHUTDOWN_STATE') throw error;
      exit = Math.max(exit, failure(verb, name, error.code, error.message, io));
    }
  }
  return exit;
};
