import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ConfigError, checkConfig, loadConfig } from '../../../src/config/index.js';
import { isTendError } from '../../../src/errors/index.js';
import { fuzzParams } from '../../helpers/fuzz.js';
import { tempDir } from '../../helpers/tmp.js';

// Property of the config loader (issue 15, hostile input): whatever the file holds, loading it
// gives a config or a ConfigError naming where (file:line), never another exception, and
// `tend check`'s reading (checkConfig) never throws at all on a file it can read.

const SECTIONS = [
  'supervisord',
  'program:web',
  'program:a b',
  'group:g',
  'include',
  'unix_http_server',
  'inet_http_server',
  'supervisorctl',
  'eventlistener:l',
  'fcgi-program:f',
  'rpcinterface:supervisor',
  'web_server',
  'x',
];
const KEYS = [
  'command',
  'numprocs',
  'process_name',
  'autorestart',
  'startsecs',
  'stopsignal',
  'exitcodes',
  'environment',
  'user',
  'priority',
  'programs',
  'files',
  'port',
  'file',
  'chmod',
  'logfile_maxbytes',
  'stdout_logfile',
  'minfds',
  'umask',
  'ready',
  'healthcheck',
  'depends_on',
  'backoff',
  'restart_limit',
  'autorestart_rate',
  'autorestart_burst',
  'events',
  'socket',
  'directory',
  'x',
];
const VALUES = [
  'true',
  'unexpected',
  '0',
  '-1',
  '99999999999999999999',
  '1e3',
  '0o777',
  '%(program_name)s_%(process_num)02d',
  '%(ENV_HOME)s',
  '%(here)s',
  '%(',
  '%%',
  'a=1,b="2',
  'KEY="x",Y=\'',
  'TERM',
  'SIGKILL',
  '1,2,3',
  '/bin/sh -c "exit 1"',
  'tcp:127.0.0.1:0',
  'http://[::1',
  'exec:',
  '*.conf',
  'web,g:*',
  '',
  ' ',
  '\t',
  'é',
  '\u0000',
];

const line = fc.oneof(
  fc.constantFrom(...SECTIONS).map((s) => `[${s}]`),
  fc
    .tuple(
      fc.constantFrom(...KEYS),
      fc.constantFrom('=', ':', ' = ', '=='),
      fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 16 })),
    )
    .map(([k, sep, v]) => `${k}${sep}${v}`),
  fc.constantFrom('; comment', '# comment', '  continued', '', '[', ']', '=x', 'novalue'),
  fc.string({ maxLength: 24 }),
);

const document = fc
  .tuple(fc.boolean(), fc.array(line, { maxLength: 30 }))
  .map(([header, lines]) => [header ? '[supervisord]' : '', ...lines].join('\n'));

describe('the config loader on hostile files', () => {
  it('gives a config or a ConfigError, never another exception', () => {
    const dir = tempDir();
    const file = path.join(dir, 'fuzz.conf');
    const env = { HOME: '/root', PATH: '/usr/bin:/bin' };
    fc.assert(
      fc.property(document, (text) => {
        writeFileSync(file, text);
        try {
          loadConfig(file, { env, cwd: dir, hostname: 'fuzz' });
        } catch (error) {
          assert.ok(
            error instanceof ConfigError || isTendError(error),
            `${String(error)}\n--- file:\n${text}`,
          );
        }
        const checked = checkConfig(file, { env, cwd: dir, hostname: 'fuzz' });
        for (const e of checked.errors) assert.ok(e instanceof ConfigError, String(e));
      }),
      fuzzParams('config loader', 1000),
    );
  });
});
