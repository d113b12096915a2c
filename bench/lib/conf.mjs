// Writes the supervisord.conf of one bench run. tend runs the very same file (drop-in promise).
//
// A program spec is system-neutral and shared with the PM2 driver:
//   { name, argv: [absolute path, ...args], autorestart: boolean,
//     stdout?: { path, maxBytes, backups, keys? },   // maxBytes 0 = rotation off; keys: more
//                                             // key=value lines (tend's log_timestamps, …)
//     autostart?: boolean,                    // default false
//     events?: 'TYPE,…',                      // a program's stdout_events_enabled, or, with listener:
//     listener?: { events, bufferSize, numprocs },  // an [eventlistener:name] pool
//     extra?: { key: value } | ['key=value', …], // tend's own keys (supervisord ignores them), environment
//     pm2?: { … } }                           // more fields of the PM2 app (exec_mode, env…)
// Programs do not autostart unless asked: each workload starts them through the system's control
// path, so the measured time starts at the start command, not at daemon boot.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const plainWord = (s) => {
  if (!/^[\w./:=,@%+-]+$/.test(s)) throw new Error(`bench: unsupported character in argument ${s}`);
  return s;
};

const listenerLines = (l) => [
  `events=${plainWord(l.events)}`,
  `buffer_size=${l.bufferSize}`,
  `numprocs=${l.numprocs}`,
  'process_name=%(program_name)s_%(process_num)d',
];

const programSection = (p, dir) => {
  const lines = [
    p.listener ? `[eventlistener:${p.name}]` : `[program:${p.name}]`,
    `command=${p.argv.map(plainWord).join(' ')}`,
    `autostart=${p.autostart ? 'true' : 'false'}`,
    `autorestart=${p.autorestart ? 'true' : 'false'}`,
    'startsecs=0',
    'startretries=3',
    'exitcodes=0',
    'stopsignal=TERM',
    'stopwaitsecs=10',
  ];
  if (p.listener) lines.push(...listenerLines(p.listener));
  // extra: an object of keys and values, or whole lines (a key's value may hold '=' itself).
  if (Array.isArray(p.extra)) for (const line of p.extra) lines.push(plainWord(line));
  else for (const [key, value] of Object.entries(p.extra ?? {})) lines.push(`${key}=${plainWord(value)}`);
  if (p.stdout) {
    lines.push(
      `stdout_logfile=${p.stdout.path}`,
      `stdout_logfile_maxbytes=${p.stdout.maxBytes}`,
      `stdout_logfile_backups=${p.stdout.backups}`,
      `stderr_logfile=${path.join(dir, `${p.name}.err`)}`,
      ...(p.stdout.keys ?? []).map(plainWord),
    );
  }
  return lines.join('\n');
};

// The part of a supervisord.conf every run shares: the control socket, the daemon's log and pid
// files, DIR/childlogs, XML-RPC, supervisorctl's serverurl; `daemonLines` go into [supervisord].
// The chaos suite writes its configs with it too.
export const supervisordHeader = (dir, { socket, logfile, pidfile, daemonLines = [] }) => {
  const childlogdir = path.join(dir, 'childlogs');
  mkdirSync(childlogdir, { recursive: true });
  return [
    '[unix_http_server]',
    `file=${socket}`,
    'chmod=0700',
    '',
    '[supervisord]',
    'nodaemon=true',
    `logfile=${logfile}`,
    `pidfile=${pidfile}`,
    `childlogdir=${childlogdir}`,
    ...daemonLines,
    '',
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '',
    '[supervisorctl]',
    `serverurl=unix://${socket}`,
    '',
  ].join('\n');
};

// Writes DIR/supervisord.conf and returns { conf, socket }; `extra` is appended as written (tend's
// own sections, such as [alert:x], which supervisord would ignore).
export const writeSupervisordConf = (dir, programs, extra = '') => {
  const socket = path.join(dir, 'ctl.sock');
  const text = [
    supervisordHeader(dir, {
      socket,
      logfile: path.join(dir, 'supervisord.log'),
      pidfile: path.join(dir, 'supervisord.pid'),
      // Each program holds up to five descriptors in the daemon (three pipes, two log files).
      daemonLines: [`minfds=${Math.max(1024, programs.length * 6 + 256)}`],
    }),
    ...programs.map((p) => `${programSection(p, dir)}\n`),
    extra,
  ].join('\n');
  const conf = path.join(dir, 'supervisord.conf');
  writeFileSync(conf, text);
  return { conf, socket };
};
