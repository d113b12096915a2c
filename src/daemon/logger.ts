import { pino, type Logger } from 'pino';
import type { LogLevel as ConfigLogLevel } from '../config/types.js';
import { FlushQueue, LogChannel, SyslogSender } from '../logs/index.js';
import type { LifecycleLog, LogLevel } from '../process/index.js';

// The daemon's own log, through pino at supervisord's levels. It goes to stdout (one line per
// event; the init system or a terminal collects it) and to `[supervisord] logfile`, which
// `maintail` and readLog read. Text lines look like supervisord's
// (`2026-11-21 09:22:01,123 INFO spawned: 'web' with pid 42`), so existing log scrapers keep
// working; `--log-format json` writes pino's JSON lines with structured fields instead.

const LEVELS: Record<ConfigLogLevel, number> = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
};

const LABELS: Record<string, string> = {
  critical: 'CRIT',
  error: 'ERRO',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBG',
  trace: 'TRAC',
  blather: 'BLAT',
};

export type LogFormat = 'text' | 'json';

export interface DaemonLogOptions {
  readonly format: LogFormat;
  readonly level: ConfigLogLevel;
  /** Also echo to stdout ([supervisord] silent=false). */
  readonly stdout: boolean;
  readonly file: { readonly path: string; readonly maxbytes: number; readonly backups: number } | null;
  /** The local syslog socket, for `logfile = syslog` and the programs' *_syslog. */
  readonly syslogSocket?: string;
  /** `logfile = syslog`: every line also goes to the local syslog, as supervisord sends it. */
  readonly toSyslog?: boolean;
  /** Where lines go besides stdout and the file; tests use it. */
  readonly write?: (line: string) => void;
}

export interface DaemonLog {
  readonly log: LifecycleLog;
  /** The main log file as a channel: maintail and readLog read it, mainlogtail follows it. */
  readonly channel: LogChannel | null;
  /** The one syslog socket of the daemon (its trouble is reported in this log). */
  readonly syslog: SyslogSender;
  reopen(): void;
  close(): void;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** supervisord's main-log timestamp: local time, `YYYY-MM-DD HH:MM:SS,mmm`. */
export const formatLogTime = (date: Date): string =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
  `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;

interface JsonLine {
  readonly level: string;
  readonly time: number;
  readonly msg: string;
}

const toText = (json: string): string => {
  const entry = JSON.parse(json) as JsonLine;
  return `${formatLogTime(new Date(entry.time))} ${LABELS[entry.level] ?? entry.level.toUpperCase()} ${entry.msg}\n`;
};

// loggers.py SyslogHandler.emit: one message per line of the formatted record, each keeping the
// format's trailing newline.
const toSyslog = (syslog: SyslogSender, text: string): void => {
  for (const line of text.replace(/\n+$/, '').split('\n')) syslog.send(`${line}\n`);
};

const pinoTo = (level: ConfigLogLevel, destination: { write(json: string): void }): LifecycleLog => {
  const logger: Logger<keyof typeof LEVELS> = pino<keyof typeof LEVELS>(
    {
      customLevels: LEVELS,
      useOnlyCustomLevels: true,
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return (at: LogLevel, message, fields) => {
    logger[at](fields ?? {}, message);
  };
};

export const createDaemonLog = (options: DaemonLogOptions): DaemonLog => {
  const queue = new FlushQueue();
  const channel =
    options.file === null
      ? null
      : new LogChannel({ owner: 'supervisord', stream: 'stdout', file: { ...options.file } }, queue);
  const syslog = new SyslogSender({
    path: options.syslogSocket ?? '/dev/log',
    report: (message) => {
      log('warn', message);
    },
  });
  const log = pinoTo(options.level, {
    write(json: string): void {
      const line = options.format === 'json' ? json : toText(json);
      if (options.stdout) process.stdout.write(line);
      options.write?.(line);
      if (options.toSyslog === true) toSyslog(syslog, line);
      if (channel !== null) {
        channel.ingest(Buffer.from(line));
        queue.flushAll();
      }
    },
  });
  return {
    log,
    channel,
    syslog,
    reopen: () => channel?.reopen(),
    close: () => {
      channel?.close();
      syslog.close();
    },
  };
};
