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
  readonly syslog: boolean;
}

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
  /** Main log file; null when `logfile` is NONE-like or syslog (tend does not write syslog). */
  readonly logfile: string | null;
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
