import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Config } from '../../../src/config/index.js';
import { daemonSettingsChanged } from '../../../src/daemon/settings-drift.js';
import { configOf } from '../../helpers/configs.js';

// A reload names the [supervisord] settings it does not apply, by the key a user wrote.

const withSupervisord = (changes: Partial<Config['supervisord']>): Config => {
  const base = configOf([]);
  return { ...base, supervisord: { ...base.supervisord, ...changes } };
};

describe('daemon settings a reload does not apply', () => {
  it('names logfile once when it turns into syslog, and syslog_socket by its key', () => {
    const running = configOf([]);
    assert.deepEqual(daemonSettingsChanged(running, withSupervisord({ logfileSyslog: true })), [
      '[supervisord] logfile',
    ]);
    assert.deepEqual(
      daemonSettingsChanged(running, withSupervisord({ logfile: '/x.log', logfileSyslog: true })),
      ['[supervisord] logfile'],
    );
    assert.deepEqual(daemonSettingsChanged(running, withSupervisord({ syslogSocket: '/run/log.sock' })), [
      '[supervisord] syslog_socket',
    ]);
    assert.deepEqual(daemonSettingsChanged(running, configOf([])), []);
  });
});
