import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installPath, launchdPlist, openrcScript, runInit, systemdUnit } from '../../../src/export/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tend-init-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const options = { tend: ['/usr/bin/node', '/opt/tend/bin/tend'], config: '/etc/tend.conf', user: false };

describe('tend init: service files', () => {
  it('systemd: Type=notify, watchdog, reload by SIGHUP, mixed kill, restart on failure', () => {
    const unit = systemdUnit(options);
    for (const line of [
      'Type=notify',
      'ExecStart=/usr/bin/node /opt/tend/bin/tend daemon -c /etc/tend.conf',
      'ExecReload=/bin/kill -HUP $MAINPID',
      'WatchdogSec=30',
      'Restart=on-failure',
      'KillMode=mixed',
      'WantedBy=multi-user.target',
    ]) {
      assert.ok(unit.split('\n').includes(line), line);
    }
    assert.ok(systemdUnit({ ...options, user: true }).includes('WantedBy=default.target'));
  });

  it('systemd: quotes paths with spaces the way systemd splits ExecStart', () => {
    const unit = systemdUnit({ ...options, config: '/etc/my tend.conf' });
    assert.ok(unit.includes('daemon -c "/etc/my tend.conf"'));
  });

  it('systemd-analyze verify accepts the unit (when systemd-analyze is installed)', (t) => {
    const which = spawnSync('sh', ['-c', 'command -v systemd-analyze']);
    if (which.status !== 0) {
      t.skip('no systemd-analyze');
      return;
    }
    const file = path.join(dir, 'tend.service');
    writeFileSync(file, systemdUnit({ ...options, tend: [process.execPath, '/bin/true'] }));
    const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, result.stderr);
  });

  it('launchd: the argv, KeepAlive on failure, and how to reload', () => {
    const plist = launchdPlist(options, '/var/log/tend.log');
    assert.ok(plist.includes('<string>/opt/tend/bin/tend</string>\n    <string>daemon</string>'));
    assert.ok(plist.includes('<key>SuccessfulExit</key>\n    <false/>'));
    assert.ok(plist.includes('launchctl kill HUP system/dev.tend.tend'));
    assert.ok(launchdPlist({ ...options, config: '/a&b' }, '/l').includes('<string>/a&amp;b</string>'));
  });

  it('openrc: backgrounded command, ordered stop, reload by SIGHUP', () => {
    const script = openrcScript({ ...options, config: "/etc/it's.conf" });
    assert.ok(script.startsWith('#!/sbin/openrc-run\n'));
    assert.ok(script.includes('command=/usr/bin/node'));
    assert.ok(script.includes('command_background=true'));
    assert.ok(script.includes('start-stop-daemon --signal HUP'));
    // openrc-run evaluates command_args as shell words: do the same here.
    const line = /^command_args=.*$/m.exec(script)?.[0] ?? '';
    const words = spawnSync('sh', ['-c', `${line}\neval "set -- $command_args"\nprintf '%s\\n' "$@"`], {
      encoding: 'utf8',
    });
    assert.deepEqual(words.stdout.trim().split('\n'), [
      '/opt/tend/bin/tend',
      'daemon',
      '-c',
      "/etc/it's.conf",
    ]);
  });

  it('install paths for system and user services', () => {
    assert.equal(installPath('systemd', false, '/h'), '/etc/systemd/system/tend.service');
    assert.equal(installPath('systemd', true, '/h'), '/h/.config/systemd/user/tend.service');
    assert.equal(installPath('systemd', true, '/h', '/x'), '/x/systemd/user/tend.service');
    assert.equal(installPath('launchd', true, '/h'), '/h/Library/LaunchAgents/dev.tend.tend.plist');
    assert.equal(installPath('openrc', false, '/h'), '/etc/init.d/tend');
  });

  it('--install --user writes the file under $HOME and says what to run next', () => {
    const out = runInit({
      ...options,
      system: 'systemd',
      user: true,
      install: true,
      config: path.join(dir, 'missing.conf'),
      env: { HOME: dir },
    });
    const file = path.join(dir, '.config/systemd/user/tend.service');
    assert.equal(out.written, file);
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o644);
    assert.equal(readFileSync(file, 'utf8'), out.text);
    assert.deepEqual(out.notes, [
      `note: ${path.join(dir, 'missing.conf')} does not exist yet`,
      `wrote ${file}`,
      'next: systemctl --user daemon-reload && systemctl --user enable --now tend',
    ]);
  });
});
