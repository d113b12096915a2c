// The resolved, fully defaulted configuration that every other layer reads. Produced once by
// loadConfig() from supervisord's INI dialect; values are frozen and canonical (seconds as numbers,
// signals as names without SIG, sizes in bytes), so no layer re-parses strings.

import type { EventTypeName } from '../events/names.js';

/** Where a section or value was written: the file (absolute) and 1-based line. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
}

/** One key of a section as written (before expansion), and where. */
export interface WrittenKey {
  readonly key: string;
  readonly value: string;
  readonly file: string;
  readonly line: number;
  /** Written in [DEFAULT] rather than in the section itself. */
  readonly inherited: boolean;
}

/** Where a process's section was written, and each of its keys (`tend describe`, `tend check`). */
export interface SectionSource extends SourceRef {
  readonly section: string;
  readonly keys: readonly WrittenKey[];
}

/** Canonical signal name without the SIG prefix, e.g. 'TERM', 'HUP', 'KILL'. */
export type SignalName = string;

/** A user resolved at parse time, as supervisord does (it must exist in passwd). */
export interface UserSpec {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/**
 * A log destination as written: AUTO (a file in childlogdir named by supervisord's rule, created
 * when the process is added), NONE (discard), or a path. `/dev/stdout` style paths are files too.
 */
export type LogTarget =
  | { readonly kind: 'auto' }
  | { readonly kind: 'none' }
  /** Kept as written after expansion (and `~`): a relative path is relative to the daemon's cwd. */
  | { readonly kind: 'file'; readonly path: string };

export interface LogConfig {
  readonly target: LogTarget;
  /** Rotate once the file reaches this size; 0 disables rotation. */
  readonly maxbytes: number;
  /** Rotated copies kept as file.1 … file.N; 0 truncates on rotation. */
  readonly backups: number;
  readonly captureMaxbytes: number;
  readonly eventsEnabled: boolean;
  /** Send each line to the local syslog too (supervisord's *_syslog). */
  readonly syslog: boolean;
  /** Rotate once the file's oldest line is this many seconds old (tend's *_logfile_maxage); 0 is off. */
  readonly maxage: number;
}

/** What a line of a child's log file is: the output as written, or one JSON object per line. */
export type LogFormat = 'raw' | 'json';

export type AutoRestart = boolean | 'unexpected';

export type ProgramKind = 'program' | 'eventlistener' | 'fcgi-program';

/** One process: a [program:x] section expands into numprocs of these. */
export interface ProcessConfig {
  /** Process name (process_name expanded), unique within its group. */
  readonly name: string;
  /** Group name: the [group:x] that lists the program, else the program name. */
  readonly group: string;
  /** The section's name after `program:` (or `eventlistener:`/`fcgi-program:`). */
  readonly program: string;
  readonly kind: ProgramKind;
  readonly processNum: number;
  /** The command line after % expansion, as written. */
  readonly command: string;
  /**
   * `command` split with POSIX shell quoting rules (shlex), not yet resolved against PATH. Empty
   * when shlex cannot split it: like supervisord, that fails at spawn (re-run shlexSplit for the
   * message), not at parse.
   */
  readonly argv: readonly string[];
  readonly directory: string | null;
  readonly umask: number | null;
  readonly user: UserSpec | null;
  readonly priority: number;
  readonly autostart: boolean;
  readonly autorestart: AutoRestart;
  readonly startsecs: number;
  readonly startretries: number;
  readonly exitcodes: readonly number[];
  readonly stopsignal: SignalName;
  readonly stopwaitsecs: number;
  readonly stopasgroup: boolean;
  readonly killasgroup: boolean;
  readonly redirectStderr: boolean;
  readonly stdout: LogConfig;
  readonly stderr: LogConfig;
  /** Program environment merged over [supervisord] environment (supervisord merges at parse time). */
  readonly environment: Readonly<Record<string, string>>;
  /** SUPERVISOR_SERVER_URL for the child; null means AUTO (derived from the servers at spawn). */
  readonly serverurl: string | null;
  /** When STARTING becomes RUNNING (tend's `ready`); `startsecs` is supervisord's rule. */
  readonly ready: ReadySpec;
  /** Seconds a non-startsecs `ready` may take before the start counts as failed; 0 waits forever. */
  readonly readyTimeout: number;
  /** Seconds without WATCHDOG=1 after which a RUNNING process is restarted; 0 turns it off. */
  readonly watchdogSec: number;
  readonly healthcheck: HealthcheckConfig | null;
  /** healthcheck_timeout, which bounds `ready` probes too (also without a healthcheck). */
  readonly probeTimeoutSecs: number;
  /** healthcheck_expect_*: applies to HTTP probes of both `ready` and `healthcheck`. */
  readonly httpExpect: HttpExpectation;
  /** Program or group names that must be RUNNING before this process is spawned. */
  readonly dependsOn: readonly string[];
  readonly backoff: BackoffConfig;
  /** Automatic restarts allowed within restartWindow seconds; one more is FATAL. 0 = no limit. */
  readonly restartLimit: number;
  readonly restartWindow: number;
  /** Its FATAL ends the daemon (a container's init: the orchestrator restarts the container). */
  readonly critical: boolean;
  /** Bytes of resident memory (whole process tree) above which the program is restarted; 0 is off. */
  readonly memoryLimit: number;
  /** Consecutive samples above memoryLimit that trigger the restart. */
  readonly memoryLimitChecks: number;
  readonly cronRestart: CronRestartConfig | null;
  /** Each line of the log files starts with the time its first byte arrived (log_timestamps). */
  readonly logTimestamps: boolean;
  readonly logFormat: LogFormat;
  /** A listening socket tend holds and passes as fd 3 (socket activation); same for all numprocs. */
  readonly socket: ListenSocketConfig | null;
  /** How a restart, a reload that changed it and `tend restart --rolling` replace its processes. */
  readonly restartStrategy: RestartStrategy;
  /** New instances that may run beside the old ones during a rolling restart. */
  readonly rollingMaxSurge: number;
  /**
   * With restart_strategy = rolling: the extra instances a rolling restart may start, expanded
   * like the others with process_num = numprocs_start + numprocs + k (so a per-instance port
   * differs) and named PROGRAM-surge, PROGRAM-surge2…; empty otherwise (and in these themselves).
   */
  readonly surge: readonly ProcessConfig[];
  /** Only for kind 'eventlistener'. */
  readonly eventlistener: EventListenerConfig | null;
  /** Only for kind 'fcgi-program'. */
  readonly fcgi: FcgiConfig | null;
  /** The section and its keys as written; not compared by a reload (only values are). */
  readonly source: SectionSource;
}

/** Something tend can poll to learn whether a program works: a port, a URL or a command. */
export type ProbeSpec =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly text: string }
  | { readonly kind: 'http'; readonly url: string; readonly text: string }
  /** argv is the command split like `command`; an empty argv cannot occur (rejected at parse). */
  | { readonly kind: 'exec'; readonly argv: readonly string[]; readonly text: string };

export type ReadySpec =
  | { readonly kind: 'startsecs'; readonly text: string }
  | { readonly kind: 'notify'; readonly text: string }
  | ProbeSpec;

/** An inclusive range of HTTP status codes; a single code is a range of one. */
export interface StatusRange {
  readonly from: number;
  readonly to: number;
}

export interface HeaderExpectation {
  /** Lower-cased header name. */
  readonly name: string;
  /** Text the value must contain (case-insensitive); '' only asks for the header to be present. */
  readonly contains: string;
}

/** What an HTTP probe (ready or healthcheck) counts as success. */
export interface HttpExpectation {
  readonly status: readonly StatusRange[];
  readonly header: HeaderExpectation | null;
}

export interface HealthcheckConfig {
  readonly probe: ProbeSpec;
  readonly intervalSecs: number;
  readonly timeoutSecs: number;
  /** Consecutive failures that restart the process. */
  readonly retries: number;
  /** Seconds after RUNNING during which failures do not count (a success still does). */
  readonly startPeriodSecs: number;
}

export interface CronRestartConfig {
  /** The expression as croner reads it (whitespace collapsed). */
  readonly expression: string;
  /** IANA zone; null is the daemon's own (TZ, else the system's). */
  readonly timezone: string | null;
}

export interface BackoffConfig {
  readonly kind: 'linear' | 'exponential';
  /** Longest delay in seconds; null is no cap (linear without backoff_max). */
  readonly maxSecs: number | null;
}

export interface EventListenerConfig {
  /** supervisord's type names (parents included) and tend's own, upper-cased and validated. */
  readonly events: readonly EventTypeName[];
  readonly bufferSize: number;
  readonly resultHandler: string;
}

export interface FcgiConfig {
  readonly socket: string;
  readonly backlog: number | null;
  readonly owner: { readonly uid: number; readonly gid: number } | null;
  readonly mode: number;
}

/** Where an [alert:x] goes: a webhook URL, or a mail server (smtps: TLS from the first byte). */
export type AlertTarget =
  | { readonly kind: 'webhook'; readonly url: string }
  | { readonly kind: 'mail'; readonly host: string; readonly port: number; readonly secure: boolean };

export interface MailSettings {
  readonly from: string;
  readonly to: readonly string[];
  readonly user: string | null;
  readonly password: string | null;
  /** auto: STARTTLS when the server offers it; required: refuse to send without; none: never. */
  readonly tls: 'auto' | 'required' | 'none';
}

/** One [alert:x] section: which events, about which programs, go where and how. */
export interface AlertConfig {
  readonly name: string;
  readonly target: AlertTarget;
  /** Webhooks: the body's shape. */
  readonly format: 'json' | 'slack';
  /** Webhooks: the HMAC-SHA256 key of the signature header; null sends none. */
  readonly secret: string | null;
  /** Event type names as written (parents allowed), validated; never tend's ALERT_* events. */
  readonly events: readonly EventTypeName[];
  /** fnmatch globs against group, program, process name and namespec; empty is every program. */
  readonly programs: readonly string[];
  /** Gather events this long into one message; 0 sends each (events of one instant together). */
  readonly batchSeconds: number;
  /** Attempts after a failed delivery before the message is given up (logged, counted). */
  readonly retries: number;
  /** Last lines of the program's stderr log carried by a message about it. */
  readonly stderrLines: number;
  /** Only for mail targets. */
  readonly mail: MailSettings | null;
  readonly source: SourceRef;
}
/** `socket` of a [program:x]: opened once by the daemon, shared by every instance. */
export interface ListenSocketConfig {
  /** Canonical: tcp://host:port (host lower-cased) or unix:///absolute/path. */
  readonly url: string;
  readonly kind: 'tcp' | 'unix';
  /** tcp: the host ('*' or '' is every interface); unix: the path. */
  readonly address: string;
  /** 0 for a unix socket. */
  readonly port: number;
  /** listen() backlog; null is SOMAXCONN. */
  readonly backlog: number | null;
  /** Mode and owner of a unix socket file (ignored for tcp). */
  readonly mode: number;
  readonly owner: { readonly uid: number; readonly gid: number } | null;
}

export type RestartStrategy = 'stop-start' | 'rolling';

export interface GroupConfig {
  readonly name: string;
  readonly priority: number;
  /** 'program' groups come from one program section; 'group' from a [group:x] section. */
  readonly origin: 'program' | 'group' | 'eventlistener' | 'fcgi-program';
  /**
   * As supervisord keeps them: each program's processes sorted by (priority, name); for a
   * [group:x], the programs in the order `programs=` lists them.
   */
  readonly processes: readonly ProcessConfig[];
  readonly source: SourceRef;
}

export type LogLevel = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';

export interface SupervisordConfig {
  /** Main log file; null when `logfile` is NONE-like or syslog. */
  readonly logfile: string | null;
  /** `logfile = syslog`: the daemon's log goes to the local syslog instead of a file. */
  readonly logfileSyslog: boolean;
  /** The syslog socket (tend's syslog_socket, default /dev/log). */
  readonly syslogSocket: string;
  readonly logfileMaxbytes: number;
  readonly logfileBackups: number;
  readonly loglevel: LogLevel;
  readonly pidfile: string;
  readonly umask: number;
  readonly nodaemon: boolean;
  readonly silent: boolean;
  readonly minfds: number;
  readonly minprocs: number;
  readonly nocleanup: boolean;
  readonly childlogdir: string;
  readonly user: UserSpec | null;
  readonly directory: string | null;
  readonly stripAnsi: boolean;
  readonly environment: Readonly<Record<string, string>>;
  readonly identifier: string;
  /** States that end the daemon when any program enters them (exit_on = FATAL). */
  readonly exitOn: readonly 'FATAL'[];
  /** The daemon-wide budget of automatic restarts (process/restart-budget.ts); rate 0 is off. */
  readonly autorestartRate: number;
  readonly autorestartBurst: number;
  readonly source: SourceRef;
}

export interface UnixHttpServerConfig {
  readonly file: string;
  readonly chmod: number;
  readonly chown: { readonly uid: number; readonly gid: number } | null;
  readonly username: string | null;
  readonly password: string | null;
  readonly source: SourceRef;
}

export interface InetHttpServerConfig {
  /** '' means every interface (supervisord's empty host or `*`). */
  readonly host: string;
  readonly port: number;
  readonly username: string | null;
  readonly password: string | null;
  readonly source: SourceRef;
}

export type WebRole = 'operator' | 'viewer';

export interface WebUserConfig {
  readonly name: string;
  /** A {scrypt} hash, checked when the config is read. */
  readonly password: string;
  readonly role: WebRole;
  readonly source: SourceRef;
}

/** [web_server] with the [web_user:x] accounts (tend only). */
export interface WebServerConfig {
  readonly host: string;
  readonly port: number;
  /** Both set, or both null (then a self-signed certificate beside the pid file). */
  readonly certfile: string | null;
  readonly keyfile: string | null;
  readonly publicUrl: string | null;
  readonly sessionTimeout: number;
  readonly users: readonly WebUserConfig[];
  readonly source: SourceRef;
}

export interface SupervisorctlConfig {
  readonly serverurl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly prompt: string;
  readonly historyFile: string | null;
}

export interface ConfigWarning {
  readonly file: string;
  readonly line: number;
  readonly section: string;
  readonly key: string | null;
  readonly message: string;
}

export interface Config {
  /** Absolute path of the main config file. */
  readonly file: string;
  /** Every file read, main file first, then includes in the order they were read. */
  readonly files: readonly string[];
  readonly supervisord: SupervisordConfig;
  readonly unixHttpServer: UnixHttpServerConfig | null;
  readonly inetHttpServer: InetHttpServerConfig | null;
  /** The dashboard; null without a [web_server] section. */
  readonly webServer: WebServerConfig | null;
  /** null when the file has no [supervisorctl] section. */
  readonly supervisorctl: SupervisorctlConfig | null;
  /** Sorted as supervisord sorts them: by priority, then name. */
  readonly groups: readonly GroupConfig[];
  /** [alert:x] sections, in file order. */
  readonly alerts: readonly AlertConfig[];
  readonly warnings: readonly ConfigWarning[];
}

/** What loadConfig needs from the outside world; tests pass their own. */
export interface LoadOptions {
  /** The daemon's environment for %(ENV_X)s; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** %(host_node_name)s; defaults to os.hostname(). */
  readonly hostname?: string;
  /** Directory relative defaults (logfile, pidfile) resolve against; defaults to process.cwd(). */
  readonly cwd?: string;
  /** Whether the `user` option can be honoured (tend runs as root); only changes warnings. */
  readonly isRoot?: boolean;
}
