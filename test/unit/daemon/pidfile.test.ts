import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDaemonCommand } from '../../../src/daemon/pidfile.js';

// A live pid in the pid file refuses a start only if it is a daemon: a reused pid must not.
describe('the pid file names a daemon', () => {
  it('a tend daemon or a supervisord', () => {
    for (const argv of [
      ['node', '--max-semi-space-size=1', '/opt/tend/bin/tend', 'daemon', '-c', '/etc/tend.conf'],
      ['/usr/bin/python3', '/usr/bin/supervisord', '-n', '-c', '/etc/supervisor/supervisord.conf'],
      ['/usr/bin/supervisord'],
    ])
      assert.equal(isDaemonCommand(argv), true, argv.join(' '));
  });

  it('not a client, an editor, or a program with tend in a path', () => {
    for (const argv of [
      ['node', '/opt/tend/bin/tend', 'status'],
      ['vim', '/etc/tend/tend.conf'],
      ['node', '/srv/frontend/server.js', 'daemon'],
      ['less', '/var/log/tend.log'],
      ['sh', '-c', 'tend daemon -c /etc/tend.conf'],
    ])
      assert.equal(isDaemonCommand(argv), false, argv.join(' '));
  });
});
