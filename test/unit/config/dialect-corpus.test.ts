// The dialect corpus: every test/fixtures/dialect/NAME.conf is read by tend and compared, field
// by field, with what supervisord 4.2.5 itself made of it (NAME.expected.json, recorded by
// scripts/record-dialect.py). Configs supervisord rejects must make tend throw a ConfigError
// that names a file and line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  ConfigError,
  loadConfig,
  type Config,
  type GroupConfig,
  type LogConfig,
  type ProcessConfig,
} from '../../../src/config/index.js';
import { DIALECT, dialectOptions, unplace } from './fixtures.js';

type Json = Record<string, unknown>;

interface Recorded {
  readonly error?: string;
  readonly supervisord: Json;
  readonly servers: Json[];
  readonly groups: (Json & { processes: Json[] })[];
  readonly warnings: string[];
  readonly supervisorctl: Json | null | { error: string };
}

const logFields = (channel: string, log: LogConfig): Json => ({
  [`${channel}_logfile`]:
    log.target.kind === 'file' ? log.target.path : log.target.kind === 'auto' ? 'auto' : null,
  [`${channel}_logfile_maxbytes`]: log.maxbytes,
  [`${channel}_logfile_backups`]: log.backups,
  [`${channel}_capture_maxbytes`]: log.captureMaxbytes,
  [`${channel}_events_enabled`]: log.eventsEnabled,
  [`${channel}_syslog`]: log.syslog,
});

// tend's ProcessConfig in the shape (and under the names) of supervisord's ProcessConfig params.
const asSupervisord = (p: ProcessConfig): Json => ({
  name: p.name,
  uid: p.user?.name ?? null,
  command: p.command,
  directory: p.directory,
  umask: p.umask,
  priority: p.priority,
  autostart: p.autostart,
  autorestart: p.autorestart,
  startsecs: p.startsecs,
  startretries: p.startretries,
  ...logFields('stdout', p.stdout),
  ...logFields('stderr', p.stderr),
  stopsignal: p.stopsignal,
  stopwaitsecs: p.stopwaitsecs,
  stopasgroup: p.stopasgroup,
  killasgroup: p.killasgroup,
  exitcodes: p.exitcodes,
  redirect_stderr: p.redirectStderr,
  environment: p.environment,
  serverurl: p.serverurl,
});

// supervisord keeps relative child log paths as written; tend does too.
const groupFields = (g: GroupConfig): Json => {
  const first = g.processes[0];
  const fields: Json = {
    name: g.name,
    priority: g.priority,
    kind: g.origin === 'group' ? 'program' : g.origin,
  };
  const listener = first?.eventlistener;
  if (g.origin === 'eventlistener' && listener) {
    Object.assign(fields, {
      buffer_size: listener.bufferSize,
      events: [...listener.events].sort(),
      result_handler: listener.resultHandler,
    });
  }
  const fcgi = first?.fcgi;
  if (g.origin === 'fcgi-program' && fcgi) {
    const owner = fcgi.owner === null ? null : [fcgi.owner.uid, fcgi.owner.gid];
    Object.assign(fields, {
      socket: {
        url: fcgi.socket,
        backlog: fcgi.backlog,
        owner,
        mode: fcgi.socket.startsWith('unix:') ? fcgi.mode : null,
      },
    });
  }
  return fields;
};

const recordedGroupFields = (g: Json): Json => {
  const { processes: _processes, ...rest } = g;
  return rest;
};

const supervisordFields = (c: Config): Json => {
  const s = c.supervisord;
  return {
    minfds: s.minfds,
    minprocs: s.minprocs,
    directory: s.directory,
    umask: s.umask,
    logfile_maxbytes: s.logfileMaxbytes,
    logfile_backups: s.logfileBackups,
    identifier: s.identifier,
    nodaemon: s.nodaemon,
    silent: s.silent,
    childlogdir: s.childlogdir,
    nocleanup: s.nocleanup,
    strip_ansi: s.stripAnsi,
    environment: s.environment,
    logfile: s.logfile,
    pidfile: s.pidfile,
    loglevel: s.loglevel,
    user: s.user?.name ?? null,
  };
};

const serverFields = (c: Config): Json[] => {
  const out: Json[] = [];
  const inet = c.inetHttpServer;
  if (inet)
    out.push({
      family: 'inet',
      host: inet.host,
      port: inet.port,
      username: inet.username,
      password: inet.password,
    });
  const unix = c.unixHttpServer;
  if (unix) {
    const chown = unix.chown === null ? [-1, -1] : [unix.chown.uid, unix.chown.gid];
    out.push({
      family: 'unix',
      file: unix.file,
      chmod: unix.chmod,
      chown,
      username: unix.username,
      password: unix.password,
    });
  }
  return out;
};

const recordedServerFields = (s: Json): Json => {
  const { name: _name, section: _section, ...rest } = s;
  return rest;
};

const compare = (config: Config, expected: Recorded): void => {
  assert.deepEqual(supervisordFields(config), expected.supervisord, '[supervisord]');
  assert.deepEqual(serverFields(config), expected.servers.map(recordedServerFields), 'servers');
  assert.deepEqual(config.groups.map(groupFields), expected.groups.map(recordedGroupFields), 'groups');
  config.groups.forEach((g, i) => {
    assert.deepEqual(
      g.processes.map(asSupervisord),
      expected.groups[i]?.processes,
      `processes of group ${g.name}`,
    );
  });
  const messages = config.warnings.map((w) => w.message);
  for (const warning of expected.warnings)
    assert.ok(messages.includes(warning), `tend should warn: ${warning}`);
  const ctl = config.supervisorctl;
  const expectedCtl = expected.supervisorctl;
  if (expectedCtl !== null && 'error' in expectedCtl) return;
  const actualCtl = ctl && {
    serverurl: ctl.serverurl,
    username: ctl.username,
    password: ctl.password,
    prompt: ctl.prompt,
    history_file: ctl.historyFile,
  };
  assert.deepEqual(actualCtl, expectedCtl, '[supervisorctl]');
};

// Where tend's reason is not supervisord's text, and why.
const OWN_REASON: Readonly<Record<string, string>> = {
  'bad-fcgi-relative-socket': 'supervisord prints the repr of a (format, path) tuple',
  'bad-group-trailing-comma': 'supervisord names the previous [program:x] instead of the [group:x]',
  'bad-group-unknown-program': 'supervisord names the previous [program:x] instead of the [group:x]',
};

// Python's "at index N" counts from the start of a format string that holds the fixture path, so
// it depends on where the corpus was recorded; recompute it for this checkout's path.
const reindex = (message: string): string =>
  message.replace(
    /^(Format string '([^']*)'.* unsupported format character '(.)' \(0x[0-9a-f]+\) at index )\d+$/,
    (all: string, head: string, format: string, char: string) =>
      format.startsWith(DIALECT) ? `${head}${format.indexOf(`%${char}`) + 1}` : all,
  );

// supervisord's syntax errors name the line; its other errors end with the section and file.
const checkReason = (name: string, error: ConfigError, supervisordError: string): void => {
  const syntaxLine = /\[line +(\d+)\]|, line: (\d+)/.exec(supervisordError);
  if (syntaxLine) {
    assert.equal(error.location.line, Number(syntaxLine[1] ?? syntaxLine[2]), 'line of the syntax error');
    return;
  }
  if (OWN_REASON[name] !== undefined) return;
  const core = reindex(supervisordError.replace(/ in section '[^']*' \(file: '[^']*'\)$/, ''));
  assert.equal(error.reason, core);
};

const fixtures = readdirSync(DIALECT)
  .filter((f) => f.endsWith('.conf'))
  .map((f) => f.slice(0, -'.conf'.length))
  .sort();

describe('dialect corpus (recorded from supervisord 4.2.5)', () => {
  it('has at least 25 good and 25 bad configs', () => {
    assert.ok(fixtures.filter((f) => !f.startsWith('bad-')).length >= 25);
    assert.ok(fixtures.filter((f) => f.startsWith('bad-')).length >= 25);
  });

  for (const name of fixtures) {
    const file = path.join(DIALECT, `${name}.conf`);
    const expected = unplace(
      JSON.parse(readFileSync(path.join(DIALECT, `${name}.expected.json`), 'utf8')),
    ) as Recorded;
    if (expected.error !== undefined) {
      const supervisordError = expected.error;
      it(`${name}: rejected like supervisord`, () => {
        assert.throws(
          () => loadConfig(file, dialectOptions()),
          (error: unknown) => {
            assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
            assert.match(error.message, /\.conf:\d+:/);
            checkReason(name, error, supervisordError);
            return true;
          },
        );
      });
    } else {
      it(`${name}: same as supervisord`, () => {
        compare(loadConfig(file, dialectOptions()), expected);
      });
    }
  }
});
