import type { Config, GroupConfig, LogConfig, ProcessConfig } from '../../src/config/types.js';

const log: LogConfig = {
  target: { kind: 'none' },
  maxbytes: 50 * 1024 * 1024,
  backups: 10,
  captureMaxbytes: 0,
  eventsEnabled: false,
  syslog: false,
};

// A ProcessConfig with supervisord's defaults for [program:NAME] command=/bin/sh, for unit tests
// that need one without going through the INI parser.
export const processConfig = (overrides: Partial<ProcessConfig> = {}): ProcessConfig => {
  const name = overrides.name ?? 'web';
  return {
    name,
    group: name,
    program: name,
    kind: 'program',
    processNum: 0,
    command: '/bin/sh',
    argv: ['/bin/sh'],
    directory: null,
    umask: null,
    user: null,
    priority: 999,
    autostart: true,
    autorestart: 'unexpected',
    startsecs: 1,
    startretries: 3,
    exitcodes: [0],
    stopsignal: 'TERM',
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    redirectStderr: false,
    stdout: log,
    stderr: log,
    environment: {},
    serverurl: null,
    ready: { kind: 'startsecs', text: 'startsecs' },
    readyTimeout: 90,
    watchdogSec: 0,
    healthcheck: null,
    probeTimeoutSecs: 5,
    httpExpect: { status: [{ from: 200, to: 399 }], header: null },
    dependsOn: [],
    backoff: { kind: 'linear', maxSecs: null },
    restartLimit: 0,
    restartWindow: 60,
    critical: false,
    eventlistener: null,
    fcgi: null,
    source: { file: '/test.conf', line: 1, section: 'program:x', keys: [] },
    ...overrides,
  };
};

/** A [program:x] group holding its processes, as the config loader builds it. */
export const groupConfig = (name: string, processes: ProcessConfig[], priority = 999): GroupConfig => ({
  name,
  priority,
  origin: 'program',
  processes: processes.map((p) => ({ ...p, group: name })),
  source: { file: '/test.conf', line: 1 },
});

export const configOf = (groups: GroupConfig[]): Config => ({
  file: '/test.conf',
  files: ['/test.conf'],
  supervisord: {
    logfile: null,
    logfileMaxbytes: 0,
    logfileBackups: 0,
    loglevel: 'info',
    pidfile: '/tmp/tend-test.pid',
    umask: 0o22,
    nodaemon: true,
    silent: false,
    minfds: 1024,
    minprocs: 200,
    nocleanup: true,
    childlogdir: '/tmp',
    user: null,
    directory: null,
    stripAnsi: false,
    exitOn: [],
    environment: {},
    identifier: 'supervisor',
    source: { file: '/test.conf', line: 1 },
  },
  unixHttpServer: null,
  inetHttpServer: null,
  webServer: null,
  supervisorctl: null,
  groups: [...groups].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : 1)),
  warnings: [],
});
