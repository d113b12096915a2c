// The one table of error codes. Each code carries its supervisord XML-RPC fault number (where
// supervisord has one, with its exact value from xmlrpc.py `Faults`), its HTTP status for the JSON
// API and its exit code for the tend CLI. Adapters look codes up here and never invent their own.

export interface ErrorSpec {
  /** supervisord fault number, or undefined for tend-only codes (they map to FAILED over XML-RPC). */
  readonly fault: number | undefined;
  readonly http: number;
  /**
   * CLI exit code, following supervisorctl's conventions (LSB: 2 usage, 7 not running or spawn
   * failure; for `status` 3 not running and 4 unknown), 69 (sysexits EX_UNAVAILABLE) when the
   * daemon cannot be reached. Every exit code of the tend CLI comes from here.
   */
  readonly exit: number;
  readonly summary: string;
}

const spec = (fault: number | undefined, http: number, exit: number, summary: string): ErrorSpec => ({
  fault,
  http,
  exit,
  summary,
});

export const CATALOGUE = {
  UNKNOWN_METHOD: spec(1, 404, 1, 'unknown method'),
  INCORRECT_PARAMETERS: spec(2, 400, 2, 'incorrect parameters'),
  BAD_ARGUMENTS: spec(3, 400, 2, 'bad arguments'),
  SIGNATURE_UNSUPPORTED: spec(4, 404, 1, 'signature unsupported'),
  SHUTDOWN_STATE: spec(6, 503, 1, 'the daemon is shutting down'),
  BAD_NAME: spec(10, 404, 1, 'no such process or group'),
  BAD_SIGNAL: spec(11, 400, 1, 'bad signal name'),
  NO_FILE: spec(20, 404, 1, 'no such file'),
  NOT_EXECUTABLE: spec(21, 422, 1, 'file is not executable'),
  FAILED: spec(30, 500, 1, 'failed'),
  ABNORMAL_TERMINATION: spec(40, 500, 7, 'abnormal termination'),
  SPAWN_ERROR: spec(50, 500, 7, 'spawn error'),
  ALREADY_STARTED: spec(60, 409, 0, 'already started'),
  NOT_RUNNING: spec(70, 409, 7, 'not running'),
  ALREADY_ADDED: spec(90, 409, 0, 'process group already active'),
  STILL_RUNNING: spec(91, 409, 1, 'process group still running'),
  CANT_REREAD: spec(92, 422, 1, 'cannot reread the config'),
  // tend-only codes
  CONFIG_INVALID: spec(undefined, 422, 2, 'invalid configuration'),
  CONFIG_NOT_FOUND: spec(undefined, 404, 2, 'no configuration file found'),
  VALIDATION: spec(undefined, 400, 2, 'invalid request'),
  NOT_FOUND: spec(undefined, 404, 1, 'not found'),
  UNAUTHORIZED: spec(undefined, 401, 1, 'authentication required'),
  FORBIDDEN: spec(undefined, 403, 1, 'not allowed (role, CSRF token or origin)'),
  TOO_MANY_ATTEMPTS: spec(undefined, 429, 1, 'too many failed logins; try again later'),
  PAYLOAD_TOO_LARGE: spec(undefined, 413, 1, 'request body too large'),
  TIMEOUT: spec(undefined, 504, 1, 'timed out'),
  UNREACHABLE: spec(undefined, 503, 69, 'the daemon cannot be reached'),
  ALREADY_RUNNING: spec(undefined, 409, 1, 'another daemon is running'),
  STREAM_LIMIT: spec(undefined, 503, 1, 'too many streams, or a stream read too slowly'),
  INTERNAL: spec(undefined, 500, 1, 'internal error'),
  ALERT_DELIVERY: spec(undefined, 502, 1, 'an alert could not be delivered'),
  ROLLOUT_FAILED: spec(
    undefined,
    500,
    7,
    'rolling restart failed: a new instance did not get ready, the old ones serve',
  ),
  ROLLOUT_ABORTED: spec(undefined, 409, 1, 'rolling restart aborted'),
  ROLLOUT_IN_PROGRESS: spec(undefined, 409, 1, 'a rolling restart of the program is in progress'),
  // Outcomes of the CLI only (the API never sends them): a command line it cannot run, and
  // `status`'s LSB answers.
  USAGE: spec(undefined, 400, 2, 'usage error'),
  STATUS_NOT_RUNNING: spec(undefined, 409, 3, 'status: a listed process is not running'),
  STATUS_UNKNOWN: spec(undefined, 404, 4, 'status: no such process or group'),
  // Outcomes of `tend daemon` as a container's init (the API never sends them either): the stop
  // needed SIGKILL, or a critical program gave up (exit_on = FATAL, critical = true).
  DAEMON_UNCLEAN_STOP: spec(undefined, 500, 3, 'daemon: the stop needed SIGKILL'),
  DAEMON_CRITICAL_FATAL: spec(undefined, 500, 4, 'daemon: a critical program gave up (FATAL)'),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof CATALOGUE;

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(CATALOGUE, value);

// Reverse lookup for clients that receive a supervisord fault and want tend's code back.
export const codeForFault = (fault: number): ErrorCode | undefined =>
  (Object.keys(CATALOGUE) as ErrorCode[]).find((code) => CATALOGUE[code].fault === fault);
