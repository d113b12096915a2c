import type { Config, SupervisordConfig } from '../config/index.js';

// A reload (SIGHUP, supervisorctl reload/update) re-reads the programs, not the daemon's own
// settings: the main log, the pid file, the control servers and the process limits were put in
// place when the daemon started. supervisord reopens some of them on SIGHUP; tend keeps running
// with what it started with, and says so instead of ignoring the edit silently.

const DAEMON_ONLY: readonly (keyof SupervisordConfig)[] = [
  'logfile',
  'logfileMaxbytes',
  'logfileBackups',
  'loglevel',
  'pidfile',
  'umask',
  'nodaemon',
  'silent',
  'minfds',
  'minprocs',
  'user',
  'directory',
  'syslogSocket',
  'logfileSyslog',
];

// Config fields that are not named as their key: logfile = syslog is a value of `logfile`.
const KEY_OF: Partial<Record<keyof SupervisordConfig, string>> = { logfileSyslog: 'logfile' };

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const withoutSource = (section: object | null): unknown => {
  if (section === null) return null;
  const { source: _source, ...rest } = section as { source?: unknown };
  return rest;
};

/** The daemon-level settings that differ between the running config and `next`, by name. */
export const daemonSettingsChanged = (running: Config, next: Config): string[] => {
  const names = DAEMON_ONLY.filter((key) => !same(running.supervisord[key], next.supervisord[key])).map(
    (key) => `[supervisord] ${KEY_OF[key] ?? snake(key)}`,
  );
  const changed = [...new Set(names)];
  if (!same(withoutSource(running.unixHttpServer), withoutSource(next.unixHttpServer)))
    changed.push('[unix_http_server]');
  if (!same(withoutSource(running.inetHttpServer), withoutSource(next.inetHttpServer)))
    changed.push('[inet_http_server]');
  if (!same(withoutSource(running.webServer), withoutSource(next.webServer))) changed.push('[web_server]');
  return changed;
};

export const driftWarning = (file: string, changed: readonly string[]): string =>
  `${file}: ${changed.join(', ')} changed; the daemon keeps its current settings for these until it is started again (a reload applies programs and groups only)`;
