// readClientSettings reads only what a client needs, like supervisorctl.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readClientSettings } from '../../../src/config/index.js';
import { OPTIONS, scratch } from './helpers.js';

describe('readClientSettings', () => {
  const { dir, write } = scratch();

  it('reads [supervisorctl] and the server sections, ignoring broken programs', () => {
    const file = write(
      'ctl.conf',
      [
        '[supervisord]',
        'logfile=/nonexistent-dir/x.log',
        '[unix_http_server]',
        'file=%(here)s/run/../tend.sock',
        '[inet_http_server]',
        'port=LOCALHOST:9001',
        '[supervisorctl]',
        'serverurl=unix://%(here)s/tend.sock',
        'username=admin',
        'password=%(ENV_TEND_X)s',
        '[program:broken]',
        'autostart=maybe',
        'command=%(nope)s',
        '',
      ].join('\n'),
    );
    assert.deepEqual(readClientSettings(file, OPTIONS), {
      serverurl: `unix://${path.join(dir, 'tend.sock')}`,
      username: 'admin',
      password: 'x',
      unixSocket: path.join(dir, 'tend.sock'),
      inet: { host: 'localhost', port: 9001 },
    });
  });

  it('leaves what is not configured null, and ignores unusable fallbacks', () => {
    const file = write('bare.conf', '[supervisord]\n[inet_http_server]\nport=notaport\n');
    assert.deepEqual(readClientSettings(file, OPTIONS), {
      serverurl: null,
      username: null,
      password: null,
      unixSocket: null,
      inet: null,
    });
  });

  it('finds a server section in an included file', () => {
    write('inc/server.conf', '[unix_http_server]\nfile=/run/tend.sock\n');
    const file = write('withinc.conf', '[supervisorctl]\n[include]\nfiles=inc/*.conf\n');
    const settings = readClientSettings(file, OPTIONS);
    assert.equal(settings.unixSocket, '/run/tend.sock');
    assert.equal(settings.serverurl, null);
  });

  it('still throws on INI syntax errors and on bad [supervisorctl] expansions', () => {
    assert.throws(
      () => readClientSettings(write('syntax.conf', '[supervisorctl]\nserverurl\n'), OPTIONS),
      ConfigError,
    );
    assert.throws(
      () => readClientSettings(write('expand.conf', '[supervisorctl]\nusername=%(ENV_NOPE)s\n'), OPTIONS),
      ConfigError,
    );
  });
});
