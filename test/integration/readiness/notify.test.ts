// ready = notify with real sd_notify clients: the systemd-notify binary, a Node client and a
// Python client writing datagrams to $NOTIFY_SOCKET themselves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { alive, fixture, startDaemon } from '../../helpers/daemon.js';
import { full, stdoutOf } from './helpers.js';

describe('ready = notify', () => {
  it('systemd-notify --ready --status=… makes the program RUNNING; the barrier returns at once', async (t) => {
    const d = await startDaemon(`
[program:sn]
command = /bin/sh -c 'sleep 0.3; s=$(date +%%s%%N); systemd-notify --ready --status="warmed up"; echo "rc=$? ms=$(( ($(date +%%s%%N) - s) / 1000000 ))"; exec sleep 100000'
ready = notify
ready_timeout = 30
`);
    const starting = await d.process('sn');
    assert.ok(['STARTING', 'RUNNING'].includes(starting.statename));
    const [sn] = await d.waitForState('sn', 'RUNNING');
    assert.match(sn?.description ?? '', /^pid \d+, uptime \d:\d\d:\d\d, warmed up$/);
    await d.waitFor('systemd-notify to return', () =>
      /rc=\d+/.test(readFileSync(sn!.stdout_logfile, 'utf8')),
    );
    const out = await stdoutOf(d, 'sn');
    assert.match(out, /^rc=0 ms=\d+$/m, 'systemd-notify exited 0 (its BARRIER fd was closed)');
    t.diagnostic(`systemd-notify: ${out.trim()}`);
    const info = await full(d, 'sn');
    assert.equal(info.tend.ready, 'notify');
    assert.equal(info.tend.readiness.status, 'warmed up');
    assert.match(d.output, /success: sn entered RUNNING state, process is ready \(ready = notify\)/);
  });

  it('a program running as another user (user=nobody) can reach its own socket', async () => {
    const d = await startDaemon(`
[program:other]
command = /bin/sh -c 'systemd-notify --ready --status="as $(id -un)"; echo "rc=$?"; exec sleep 100000'
user = nobody
ready = notify
`);
    const [other] = await d.waitForState('other', 'RUNNING');
    assert.match(other?.description ?? '', /, as nobody$/);
    const socket = (await full(d, 'other')).tend;
    assert.equal(socket.readiness.status, 'as nobody');
  });

  it('a Node client: STATUS while STARTING, READY=1 and MAINPID recorded', async () => {
    const d = await startDaemon(`
[program:node]
command = ${fixture('notify-node.mjs')} 1500
ready = notify
`);
    await d.waitFor('STATUS=starting', (ps) =>
      ps.some((p) => p.statename === 'STARTING' && p.description === 'starting'),
    );
    await d.waitForState('node', 'RUNNING');
    const info = await full(d, 'node');
    assert.equal(info.tend.readiness.status, 'node ready');
    assert.equal(info.tend.readiness.mainpid, info.pid);
    assert.match(info.description, /, node ready$/);
  });

  it('a Python client; oversize datagrams are dropped and counted', async () => {
    const d = await startDaemon(`
[program:py]
command = ${fixture('notify-python.py')} oversize
ready = notify
`);
    await d.waitForState('py', 'RUNNING');
    const info = await full(d, 'py');
    assert.equal(info.tend.readiness.status, 'python ready');
    assert.equal(info.tend.readiness.oversizeMessages, 1);
  });

  it('EXTEND_TIMEOUT_USEC keeps a slow start from timing out', async () => {
    const d = await startDaemon(`
[program:slow]
command = ${fixture('notify-python.py')} extend
ready = notify
ready_timeout = 1
startretries = 0
`);
    const [slow] = await d.waitForState('slow', 'RUNNING');
    assert.match(slow?.description ?? '', /, migrated$/);
    assert.equal((d.output.match(/spawned: 'slow'/g) ?? []).length, 1);
  });

  it('not ready within ready_timeout: the process group is killed and the start fails with the reason', async () => {
    const d = await startDaemon(
      `
[program:stuck]
command = ${fixture('notify-python.py')} never %(here)s/grandchild.pid
ready = notify
ready_timeout = 1
startretries = 1
stopwaitsecs = 2
`,
    );
    const [stuck] = await d.waitForState('stuck', 'FATAL', 30_000);
    assert.equal(stuck?.description, 'not ready after 1s (ready = notify)');
    assert.equal((d.output.match(/spawned: 'stuck'/g) ?? []).length, 2, 'one attempt plus one retry');
    assert.match(d.output, /WARN stopping stuck: not ready after 1s \(ready = notify\)/);
    const grandchild = Number(readFileSync(path.join(d.dir, 'grandchild.pid'), 'utf8'));
    await d.waitFor('the grandchild to be gone', () => !alive(grandchild));
  });
});

describe('watchdog_sec', () => {
  it('gives the child WATCHDOG_USEC and its own WATCHDOG_PID; silence restarts it with the reason', async () => {
    const d = await startDaemon(`
[program:dog]
command = ${fixture('notify-node.mjs')} 0 1500
ready = notify
watchdog_sec = 0.6
autorestart = false
`);
    const [dog] = await d.waitForState('dog', 'RUNNING');
    const firstPid = dog!.pid;
    await d.waitFor('a watchdog restart', (ps) => ps.some((p) => p.pid !== 0 && p.pid !== firstPid), 30_000);
    const out = await stdoutOf(d, 'dog');
    assert.match(out, new RegExp(`notify-node pid=${firstPid} WATCHDOG_PID=${firstPid}$`, 'm'));
    assert.match(out, /notify-node stops pinging/);
    assert.match(d.output, /WARN restarting dog: watchdog: no WATCHDOG=1 within 0\.6s/);
    await d.waitForState('dog', 'RUNNING');
    const info = await full(d, 'dog');
    assert.equal(info.tend.lastRestart?.reason, 'watchdog: no WATCHDOG=1 within 0.6s');
    assert.match(info.description, /last restart: watchdog: no WATCHDOG=1 within 0\.6s/);
  });
});
