import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Findings } from '../report.js';
import { toByteSize, toSeconds } from './pm2-values.js';

// One handler per PM2 app option that is not part of the command line. Each adds supervisord
// keys (or commented lines) and says what it could not carry over.

export interface AppState {
  readonly program: string;
  readonly app: Readonly<Record<string, unknown>>;
  readonly numprocs: number;
  /** The app's working directory: relative paths of PM2 options start there. */
  readonly dir: string;
  readonly findings: Findings;
  readonly entries: [string, string][];
  /** Comment lines after the keys (keys a user may turn on). */
  readonly commented: string[];
  readonly env: Record<string, string>;
}

type Handler = (v: unknown, s: AppState, key: string) => void;

/** Adds a key whose value is literal text (a % in it is written %%). */
const set = (s: AppState, key: string, value: string): void => {
  s.entries.push([key, value.replaceAll('%', '%%')]);
};
const warn = (s: AppState, key: string, message: string): void => {
  s.findings.warn(s.program, key, message);
};
const unreadable = (s: AppState, key: string, v: unknown): void => {
  warn(s, key, `cannot read ${JSON.stringify(v)}: left out`);
};

const seconds =
  (target: string): Handler =>
  (v, s, key) => {
    const secs = toSeconds(v);
    if (secs === null) unreadable(s, key, v);
    else set(s, target, String(secs));
  };

/** out_file → stdout_logfile; with instances and no merge_logs PM2 adds -ID to the name. */
const logfile =
  (target: string): Handler =>
  (v, s, key) => {
    if (typeof v !== 'string') {
      unreadable(s, key, v);
      return;
    }
    if (v === '/dev/null') {
      set(s, target, 'NONE');
      return;
    }
    const file = path.resolve(s.dir, v);
    if (!existsSync(path.dirname(file))) {
      warn(
        s,
        key,
        `${path.dirname(file)} does not exist: create it first (supervisord refuses a log file in a missing directory)`,
      );
    }
    const separate = s.numprocs > 1 && s.app.merge_logs !== true && s.app.combine_logs !== true;
    const ext = path.extname(file);
    const literal = (t: string): string => t.replaceAll('%', '%%');
    s.entries.push([
      target,
      separate
        ? `${literal(file.slice(0, file.length - ext.length))}-%(process_num)d${literal(ext)}`
        : literal(file),
    ]);
  };

const none =
  (why: string): Handler =>
  (_v, s, key) => {
    warn(s, key, why);
  };

const HANDLERS: Record<string, Handler> = {
  autostart: (v, s) => {
    set(s, 'autostart', String(v !== false));
  },
  autorestart: (v, s) => {
    if (Array.isArray(s.app.stop_exit_codes) || typeof s.app.stop_exit_codes === 'number') return;
    set(s, 'autorestart', String(v !== false));
  },
  stop_exit_codes: (v, s) => {
    const codes = (Array.isArray(v) ? v : [v]).map(Number).filter(Number.isInteger);
    set(s, 'autorestart', s.app.autorestart === false ? 'false' : 'unexpected');
    set(s, 'exitcodes', codes.join(','));
  },
  min_uptime: seconds('startsecs'),
  max_restarts: (v, s, key) => {
    if (Number.isInteger(v)) set(s, 'startretries', String(v));
    else unreadable(s, key, v);
  },
  kill_timeout: seconds('stopwaitsecs'),
  restart_delay: (v, s, key) => {
    const secs = toSeconds(v);
    if (secs === null) {
      unreadable(s, key, v);
      return;
    }
    set(s, 'backoff_max', String(Math.max(1, secs)));
    warn(
      s,
      key,
      `PM2 waits a fixed ${secs} s; tend waits 1 s, 2 s, … up to backoff_max = ${Math.max(1, secs)}`,
    );
  },
  exp_backoff_restart_delay: (_v, s) => {
    set(s, 'backoff', 'exponential');
    set(s, 'backoff_max', '15');
  },
  max_memory_restart: (v, s, key) => {
    const size = toByteSize(v);
    if (size === null) unreadable(s, key, v);
    else set(s, 'memory_limit', size);
  },
  cron_restart: (v, s, key) => {
    if (v === 0 || v === '0') return;
    if (typeof v === 'string') set(s, 'cron_restart', v);
    else unreadable(s, key, v);
  },
  treekill: (v, s) => {
    if (v === false) return;
    set(s, 'stopasgroup', 'true');
    set(s, 'killasgroup', 'true');
  },
  out_file: logfile('stdout_logfile'),
  error_file: logfile('stderr_logfile'),
  log_file: (v, s, key) => {
    if (s.app.out_file !== undefined || s.app.error_file !== undefined) {
      warn(s, key, 'a combined log beside out_file/error_file has no equivalent: left out');
      return;
    }
    set(s, 'redirect_stderr', 'true');
    logfile('stdout_logfile')(v, s, key);
  },
  log_date_format: (v, s, key) => {
    set(s, 'log_timestamps', 'true');
    warn(s, key, `tend's timestamps have their own format (${JSON.stringify(v)} is not kept)`);
  },
  time: (v, s) => {
    if (v === true) set(s, 'log_timestamps', 'true');
  },
  log_type: (v, s, key) => {
    if (v === 'json') set(s, 'log_format', 'json');
    else unreadable(s, key, v);
  },
  wait_ready: (v, s, key) => {
    if (v !== true) return;
    s.commented.push(
      "PM2's wait_ready waits for process.send('ready'); once the app sends READY=1 to $NOTIFY_SOCKET:",
      'ready = notify',
    );
    warn(
      s,
      key,
      "process.send('ready') has no equivalent: the program counts as started after startsecs (see the commented ready = notify)",
    );
  },
  listen_timeout: (v, s, key) => {
    const secs = toSeconds(v);
    if (secs === null) {
      unreadable(s, key, v);
      return;
    }
    s.commented.push(`ready_timeout = ${secs}`);
  },
  user: (v, s) => {
    set(s, 'user', String(v));
  },
  uid: (v, s) => {
    set(s, 'user', String(v));
  },
  gid: none("supervisord runs a program with its user's primary group"),
  port: (v, s) => {
    s.env.PORT = String(v);
  },
  exec_mode: (v, s, key) => {
    if (v === 'cluster' || v === 'cluster_mode')
      warn(
        s,
        key,
        "cluster mode shares one port through Node's cluster module; tend runs separate processes: give each its own port (e.g. PORT = 30%(process_num)02d) or let them share a socket",
      );
  },
  increment_var: none('tend cannot add to a variable per process: use %(process_num)d in the value'),
  instance_var: () => undefined,
  instances: () => undefined,
  merge_logs: () => undefined,
  combine_logs: () => undefined,
  namespace: () => undefined,
  watch: (v, s, key) => {
    if (v !== false) warn(s, key, 'tend does not restart on file changes');
  },
  ignore_watch: none('tend does not restart on file changes'),
  watch_delay: none('tend does not restart on file changes'),
  watch_options: none('tend does not restart on file changes'),
  shutdown_with_message: (v, s, key) => {
    if (v === true) warn(s, key, "tend stops with a signal (stopsignal), not process.send('shutdown')");
  },
  kill_retry_time: none('tend waits stopwaitsecs, then sends SIGKILL'),
  filter_env: none('supervisord passes its own environment to programs; list what they need in environment'),
};

export const handlerFor = (key: string): Handler | undefined =>
  Object.hasOwn(HANDLERS, key) ? HANDLERS[key] : undefined;
