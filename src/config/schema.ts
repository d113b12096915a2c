// Every key supervisord reads, per section kind, with its converter, default and a one-line doc.
// The section readers take converters and defaults from here, the unknown-key warnings take the
// key names, and docs/config.md is generated from it (src/config/docs.ts).
import * as t from './datatypes.js';
import type { Datatype } from './datatypes.js';
import * as x from './tend-datatypes.js';
import * as w from './web-datatypes.js';

export interface KeyDef<T> {
  readonly type: Datatype<T>;
  /** The raw default fed through the converter, as supervisord does; null means unset. */
  readonly default: string | null;
  readonly doc: string;
  readonly required?: true;
  /** How the default reads in the docs when it is not a literal value. */
  readonly defaultDoc?: string;
}

export interface KeySpec<T> extends KeyDef<T> {
  readonly key: string;
}

export type AnyKeySpec = KeySpec<unknown>;

type Keyed<D> = { readonly [K in keyof D]: D[K] extends KeyDef<infer T> ? KeySpec<T> : never };

/** Gives every definition its own key name, so readers can take a spec alone. */
const table = <D extends Record<string, KeyDef<unknown>>>(defs: D): Keyed<D> =>
  Object.fromEntries(Object.entries(defs).map(([k, d]) => [k, { ...d, key: k }])) as Keyed<D>;

const key = <T>(type: Datatype<T>, dflt: string | null, doc: string): KeyDef<T> => ({
  type,
  default: dflt,
  doc,
});

const required = <T>(type: Datatype<T>, doc: string): KeyDef<T> => ({
  type,
  default: null,
  doc,
  required: true,
});

const documented = <T>(def: KeyDef<T>, defaultDoc: string): KeyDef<T> => ({ ...def, defaultDoc });

type Prefixed<P extends string, T> = { [K in keyof T & string as `${P}_${K}`]: T[K] };

const prefixed = <P extends string, T extends object>(prefix: P, defs: T): Prefixed<P, T> =>
  Object.fromEntries(Object.entries(defs).map(([k, v]) => [`${prefix}_${k}`, v])) as Prefixed<P, T>;

const logKeys = (channel: 'stdout' | 'stderr') => ({
  logfile: key(t.logfile, 'AUTO', `Where ${channel} goes: AUTO (a file in childlogdir), NONE, or a path.`),
  logfile_maxbytes: key(t.byteSize, '50MB', 'Rotate the log at this size; 0 never rotates.'),
  logfile_backups: key(t.integer, '10', 'Rotated copies to keep; 0 truncates instead.'),
  capture_maxbytes: key(t.byteSize, '0', 'Buffer for PROCESS_COMMUNICATION capture mode; 0 disables it.'),
  events_enabled: key(t.boolean, 'false', `Emit PROCESS_LOG_${channel.toUpperCase()} events for the output.`),
  syslog: key(
    t.boolean,
    'false',
    'Also send each line to the local syslog (syslog_socket), as user.info tagged with the process name.',
  ),
});

// A listening socket's options, as [fcgi-program:x] has them; [program:x] reads them with `socket`.
const SOCKET_OPTION_DEFS = {
  socket_backlog: documented(key(t.integer, null, 'listen() backlog, 1-65535.'), 'SOMAXCONN'),
  socket_owner: documented(key(t.owner, null, 'user[:group] owning a unix socket.'), 'the program user'),
  socket_mode: key(t.octal, '0700', 'Mode of a unix socket.'),
};

// tend's own [program:x] keys (supervisord ignores them); docs/readiness.md explains each.
const TEND_PROGRAM_DEFS = {
  ready: key(
    x.ready,
    'startsecs',
    'When STARTING becomes RUNNING: startsecs (supervisord), notify (READY=1 on $NOTIFY_SOCKET), tcp:HOST:PORT, http(s)://URL or exec:COMMAND.',
  ),
  ready_timeout: key(
    x.seconds,
    '90',
    'Seconds a ready other than startsecs may take; then the start failed (BACKOFF). 0 waits forever.',
  ),
  watchdog_sec: key(
    x.seconds,
    '0',
    'Restart a RUNNING process that sends no WATCHDOG=1 for this long (gets NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID). 0 is off.',
  ),
  healthcheck: key(x.probe, null, 'Probe run while RUNNING: tcp:HOST:PORT, http(s)://URL or exec:COMMAND.'),
  healthcheck_interval: key(x.seconds, '10', 'Seconds between health probes.'),
  healthcheck_timeout: key(x.seconds, '5', 'Seconds one probe (ready or health) may take.'),
  healthcheck_retries: key(
    x.positiveCount,
    '3',
    'Consecutive failed health probes that restart the process group.',
  ),
  healthcheck_start_period: key(
    x.seconds,
    '0',
    'Seconds after RUNNING during which failed health probes do not count.',
  ),
  healthcheck_expect_status: key(
    x.statusList,
    '200-399',
    'HTTP statuses that pass (ready and healthcheck): 200, 200,204, 200-299 or 2xx.',
  ),
  healthcheck_expect_header: key(
    x.headerExpectation,
    null,
    'A response header that must be present, e.g. Content-Type: text/html (value contains, any case).',
  ),
  depends_on: key(
    x.nameList,
    '',
    'Programs or groups that must be RUNNING before this one is spawned; stopped after it.',
  ),
  backoff: key(
    x.backoffKind,
    'linear',
    'Delay curve between restarts: linear (supervisord: 1 s, 2 s, 3 s…) or exponential (1 s, 2 s, 4 s…).',
  ),
  backoff_max: documented(
    key(x.seconds, null, 'Longest delay between restarts, in seconds.'),
    'none with linear, 60 with exponential',
  ),
  restart_limit: key(
    x.count,
    '0',
    'Automatic restarts allowed within restart_window; one more is FATAL. 0 is no limit.',
  ),
  restart_window: key(x.seconds, '60', 'Seconds over which restart_limit counts restarts.'),
  critical: key(
    t.boolean,
    'false',
    'When this program gives up (FATAL), stop everything and end the daemon with exit code 4 (docs/containers.md).',
  ),
  memory_limit: key(
    t.byteSize,
    '0',
    'Restart the program (stopsignal, then SIGKILL after stopwaitsecs) when the resident memory of its whole process tree stays above this for memory_limit_checks samples; KB, MB or GB. 0 is off (docs/policies.md).',
  ),
  memory_limit_checks: key(
    x.positiveCount,
    '3',
    'Consecutive samples (one a second) above memory_limit that restart the program.',
  ),
  cron_restart: key(
    x.cron,
    null,
    'Restart the program on this schedule if it is RUNNING: 5 cron fields (0 3 * * *), 6 with seconds first, or @daily (docs/policies.md).',
  ),
  cron_timezone: documented(
    key(x.timeZone, null, 'IANA time zone of cron_restart, e.g. Europe/Berlin.'),
    "the daemon's (TZ, else the system's)",
  ),
  log_timestamps: key(
    t.boolean,
    'false',
    'Start each line of the log files with the RFC 3339 time (UTC, milliseconds) its first byte arrived (docs/logs.md).',
  ),
  log_format: key(
    x.logFormat,
    'raw',
    'raw (the output as written) or json: one object per line with time, stream, program, pid and line (docs/logs.md).',
  ),
  ...prefixed('stdout', {
    logfile_maxage: key(
      x.age,
      '0',
      'Also rotate the stdout log once its oldest line is this old (30s, 15m, 1d); 0 is off.',
    ),
  }),
  ...prefixed('stderr', {
    logfile_maxage: key(
      x.age,
      '0',
      'Also rotate the stderr log once its oldest line is this old (30s, 15m, 1d); 0 is off.',
    ),
  }),
  socket: key(
    t.text,
    null,
    'tcp://HOST:PORT or unix:///path: tend listens once and passes the socket to every instance as fd 3 (LISTEN_FDS=1, LISTEN_PID, LISTEN_FDNAMES), across restarts (docs/zero-downtime.md).',
  ),
  ...SOCKET_OPTION_DEFS,
  restart_strategy: key(
    x.restartStrategy,
    'stop-start',
    'How restarts replace processes: stop-start (supervisord) or rolling (start a new instance, wait until it is ready, then stop an old one).',
  ),
  rolling_max_surge: key(
    x.count,
    '1',
    'New instances that may run beside the old ones during a rolling restart (numprocs = 1 needs at least 1).',
  ),
};

const PROGRAM_DEFS = {
  command: required(t.text, 'Command line, split like a POSIX shell (no pipes, no $VAR); searched in PATH.'),
  process_name: key(
    t.text,
    '%(program_name)s',
    'Process name; must contain %(process_num) when numprocs > 1.',
  ),
  numprocs: key(t.integer, '1', 'How many processes this section starts.'),
  numprocs_start: key(t.integer, '0', 'First value of %(process_num).'),
  priority: key(t.integer, '999', 'Lower starts first and stops last; also the group priority.'),
  autostart: key(t.boolean, 'true', 'Start when the daemon starts or the group is added.'),
  startsecs: key(t.integer, '1', 'Seconds the process must stay up to count as RUNNING.'),
  startretries: key(t.integer, '3', 'Failed starts allowed before FATAL.'),
  autorestart: key(
    t.autoRestart,
    'unexpected',
    'Restart after an exit: true, false, or unexpected (exit code not in exitcodes).',
  ),
  exitcodes: key(t.exitCodes, '0', 'Exit codes that count as expected.'),
  stopsignal: key(t.signal, 'TERM', 'Signal sent to stop the process.'),
  stopwaitsecs: key(t.integer, '10', 'Seconds to wait after stopsignal before SIGKILL.'),
  stopasgroup: key(t.boolean, 'false', 'Send stopsignal to the whole process group (implies killasgroup).'),
  killasgroup: documented(
    key(t.boolean, null, 'Send SIGKILL to the whole process group.'),
    'same as stopasgroup',
  ),
  user: key(t.user, null, 'Run as this user (name or uid; must exist); needs a root daemon.'),
  redirect_stderr: key(t.boolean, 'false', 'Send stderr into the stdout log.'),
  ...prefixed('stdout', logKeys('stdout')),
  ...prefixed('stderr', logKeys('stderr')),
  environment: key(
    t.keyValuePairs,
    null,
    'Extra variables, KEY="value",KEY2=value2 (over [supervisord] environment).',
  ),
  directory: key(t.text, null, 'Working directory of the child (not checked until spawn).'),
  umask: key(t.octal, null, "The child's umask; unset inherits the daemon's."),
  serverurl: key(t.text, 'AUTO', 'SUPERVISOR_SERVER_URL for the child; AUTO derives it from the servers.'),
  ...TEND_PROGRAM_DEFS,
};

export const PROGRAM_KEYS = table(PROGRAM_DEFS);

export const EVENTLISTENER_KEYS = table({
  ...PROGRAM_DEFS,
  priority: key(
    t.integer,
    '-1',
    'Pool priority (listeners start first); each process still defaults to 999.',
  ),
  events: required(
    t.listOfStrings,
    "Event types to subscribe to, comma-separated: supervisord's (parents such as PROCESS_STATE, or EVENT) and tend's own (docs/events.md).",
  ),
  buffer_size: key(t.integer, '10', 'Events queued per pool before the oldest is dropped (at least 1).'),
  result_handler: key(
    t.text,
    'supervisor.dispatchers:default_handler',
    'Python entry point judging results; only the default is supported.',
  ),
  redirect_stderr: key(t.boolean, 'false', 'Must stay false: stderr would corrupt the listener protocol.'),
});

export const FCGI_KEYS = table({
  ...PROGRAM_DEFS,
  socket: required(t.text, 'unix:///absolute/path or tcp://host:port, shared as fd 0 by all processes.'),
  ...SOCKET_OPTION_DEFS,
});

export const SUPERVISORD_KEYS = table({
  logfile: key(
    t.dirpath,
    'supervisord.log',
    'Daemon log, relative to the working directory; NONE turns it off, syslog sends it to syslog_socket.',
  ),
  logfile_maxbytes: key(t.byteSize, '50MB', 'Rotate the daemon log at this size; 0 never rotates.'),
  logfile_backups: key(t.integer, '10', 'Rotated daemon logs to keep.'),
  loglevel: key(t.logLevel, 'info', 'critical, error, warn, info, debug, trace or blather.'),
  pidfile: key(t.dirpath, 'supervisord.pid', 'Pid file, relative to the working directory.'),
  umask: key(t.octal, '022', 'umask applied when daemonizing.'),
  nodaemon: key(t.boolean, 'false', 'Stay in the foreground (tend always does).'),
  silent: key(t.boolean, 'false', 'In the foreground, do not copy the log to stdout.'),
  minfds: key(t.integer, '1024', "Raise RLIMIT_NOFILE to this or refuse to start (supervisord's rule)."),
  minprocs: key(t.integer, '200', "Raise RLIMIT_NPROC to this or refuse to start (supervisord's rule)."),
  nocleanup: key(t.boolean, 'false', 'Keep old AUTO child logs at startup.'),
  childlogdir: documented(
    key(t.directory, null, 'Directory for AUTO child logs; must exist.'),
    'the temp directory ($TMPDIR)',
  ),
  user: key(t.user, null, 'Switch to this user at startup.'),
  directory: key(t.directory, null, 'chdir here when daemonizing; must exist.'),
  strip_ansi: key(t.boolean, 'false', 'Strip ANSI escapes from child logs.'),
  environment: key(t.keyValuePairs, null, 'KEY=value pairs added to every child environment.'),
  identifier: key(t.text, 'supervisor', 'Identifier for getIdentification and AUTO log names.'),
  exit_on: key(x.exitOn, '', 'FATAL: end the daemon (exit 4) when any program gives up. Empty: never.'),
  autorestart_rate: key(
    x.count,
    '50',
    'Automatic restarts per second, daemon-wide, once autorestart_burst is spent; 0 is no limit.',
  ),
  autorestart_burst: key(
    x.positiveCount,
    '100',
    'Automatic restarts that go at once before autorestart_rate spaces the rest (a crash storm).',
  ),
  syslog_socket: key(
    t.text,
    '/dev/log',
    'The local syslog socket that logfile = syslog and *_syslog write to (tend only; a datagram socket).',
  ),
});

export const GROUP_KEYS = table({
  programs: key(t.listOfStrings, '', 'Comma-separated [program:x] or [fcgi-program:x] names.'),
  priority: key(t.integer, '999', 'Group priority.'),
});

export const INCLUDE_KEYS = table({
  files: required(
    t.text,
    'Whitespace-separated globs, relative to the main file; matches read in sorted order.',
  ),
});

const AUTH_DEFS = {
  username: key(t.text, null, 'Basic auth user name (set both or neither).'),
  password: key(t.text, null, 'Password, plain or {SHA}<hex sha1>.'),
};

export const UNIX_HTTP_SERVER_KEYS = table({
  file: required(t.text, 'Socket path; made absolute.'),
  chmod: key(t.octal, '0700', 'Socket mode.'),
  chown: key(t.owner, null, 'user or user:group owning the socket.'),
  ...AUTH_DEFS,
});

export const INET_HTTP_SERVER_KEYS = table({
  port: required(t.inetAddress, 'host:port, *:port or port to listen on.'),
  ...AUTH_DEFS,
});

export const WEB_SERVER_KEYS = table({
  port: required(t.inetAddress, 'host:port, *:port or port of the dashboard (HTTPS only).'),
  certfile: key(
    t.text,
    null,
    'PEM certificate (chain); without it tend makes a self-signed one beside the pid file.',
  ),
  keyfile: key(t.text, null, 'PEM private key of certfile (set both or neither).'),
  username: key(
    t.text,
    null,
    'An operator account, besides the [web_user:x] sections (set both or neither).',
  ),
  password: key(
    w.scryptHash,
    null,
    "That account's {scrypt} hash (tend hash-password); plain passwords are refused.",
  ),
  public_url: key(
    w.httpsOrigin,
    null,
    'The origin users type (behind a reverse proxy); checked against Origin.',
  ),
  session_timeout: key(w.sessionSeconds, '1800', 'Seconds of inactivity that end a session.'),
});

export const WEB_USER_KEYS = table({
  password: required(
    w.scryptHash,
    "The user's {scrypt} hash (tend hash-password); plain passwords are refused.",
  ),
  role: key(w.webRole, 'viewer', 'operator (may act) or viewer (may only look).'),
});

export const SUPERVISORCTL_KEYS = table({
  serverurl: key(t.text, 'http://localhost:9001', 'unix:///path or http://host:port of the daemon.'),
  username: key(t.text, null, 'User name sent to the daemon.'),
  password: key(t.text, null, 'Password sent to the daemon.'),
  prompt: key(t.text, 'supervisor', 'Interactive prompt.'),
  history_file: key(t.text, null, 'readline history file.'),
});

export const RPCINTERFACE_KEYS = table({
  'supervisor.rpcinterface_factory': required(t.text, 'module:callable; other keys are its arguments.'),
});

export const CTLPLUGIN_KEYS = table({
  'supervisor.ctl_factory': required(t.text, 'module:callable; other keys are its arguments.'),
});

/** What an [alert:x] sends about when `events` is not set (ALERT_DEFAULT_EVENTS, docs/alerts.md). */
export const ALERT_DEFAULT_EVENTS =
  'PROCESS_STATE_FATAL, PROCESS_STATE_EXITED, PROCESS_HEALTH_UNHEALTHY, PROCESS_FLAP_GUARD';

// tend's [alert:x] (supervisord ignores the section); docs/alerts.md explains each key.
export const ALERT_KEYS = table({
  url: required(
    x.alertUrl,
    'Where alerts go: http(s)://… (a JSON POST) or smtp://HOST[:PORT] / smtps://HOST[:PORT] (mail).',
  ),
  events: key(
    t.listOfStrings,
    ALERT_DEFAULT_EVENTS,
    'Event types that alert, comma-separated (parents such as PROCESS_STATE allowed); PROCESS_STATE_EXITED counts unexpected exits only.',
  ),
  programs: key(
    x.globList,
    '*',
    'Programs or groups whose events alert: names or globs (web*, db:*), comma-separated.',
  ),
  batch_seconds: key(
    x.seconds,
    '0',
    'Gather the events of this many seconds into one message; 0 sends at once.',
  ),
  retries: key(
    x.count,
    '5',
    'Delivery attempts after a failed one, 1 s apart and doubling up to 60 s; then the message is logged as lost.',
  ),
  stderr_lines: key(x.count, '10', "Last lines of the program's stderr log a message carries; 0 none."),
  format: key(
    x.alertFormat,
    'json',
    "Webhook body: json (tend's document) or slack (an incoming-webhook message).",
  ),
  secret: key(
    t.text,
    null,
    'Webhook: sign each POST with HMAC-SHA256 under this key (at least 16 characters); see docs/alerts.md.',
  ),
  from: documented(key(x.emailAddress, null, 'Mail: the sender address.'), 'tend@HOSTNAME'),
  to: key(x.emailList, null, 'Mail: recipient addresses, comma-separated (required for mail).'),
  smtp_user: key(t.text, null, 'Mail: user name to log in to the server (set both or neither).'),
  smtp_password: key(t.text, null, 'Mail: password to log in to the server.'),
  smtp_tls: key(
    x.smtpTls,
    'auto',
    'Mail over smtp://: auto (STARTTLS when offered), required (never send in clear) or none.',
  ),
});
