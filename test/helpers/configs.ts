import type { LogConfig, ProcessConfig } from '../../src/config/types.js';

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
    eventlistener: null,
    fcgi: null,
    source: { file: '/test.conf', line: 1 },
    ...overrides,
  };
};
