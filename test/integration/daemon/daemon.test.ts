import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  TEND,
  alive,
  fixture,
  groupMembers,
  header,
  run,
  spawnDaemon,
  startDaemon,
} from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

const programs = `
[program:a]
command = ${fixture('forever.sh')}
startsecs = 0

[program:b]
command = ${fixture('grandchild.sh')} %(here)s/b.grandchild
startsecs = 0
stopwaitsecs = 2
`;

describe('daemon', () => {
  it('refuses a bad config with file:line, section, key and value, and exits 2 without starting anything', async () => {
    const d = spawnDaemon(`
[program:web]
command = ${fixture('forever.sh')}
autorestart = sometimes
`);
    const code = await d.exit();
    assert.equal(code, 2);
    assert.match(d.output, new RegExp(`${d.conf}:\\d+`));
    assert.match(d.output, /\[program:web\]/);
    assert.match(d.output, /autorestart/);
    assert.match(d.output, /sometimes/);
    assert.ok(!existsSync(`${d.dir}/t.sock`));
  });

  it('writes its pid file, and on SIGTERM stops every program, leaving no process of any group', async () => {
    const d = await startDaemon(programs);
    await d.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    await sleep(200);
    assert.equal(readFileSync(`${d.dir}/tend.pid`, 'utf8').trim(), String(d.pid));
    const groups = (await d.info()).map((p) => p.pid);
    const grandchild = Number(readFileSync(`${d.dir}/b.grandchild`, 'utf8'));
    assert.equal(await d.stop(), 0);
    for (const pgid of groups) assert.deepEqual(groupMembers(pgid), [], `process group ${pgid} is empty`);
    assert.ok(!alive(grandchild));
    assert.ok(!existsSync(`${d.dir}/tend.pid`), 'pid file removed');
    assert.ok(!existsSync(`${d.dir}/t.sock`), 'socket removed');
  });

  it('refuses to start a second daemon on the same socket, and replaces a stale socket', async () => {
    const d = await startDaemon(programs);
    const second = spawnDaemon(programs, {
      dir: tempDir(),
      header: header(d.dir).replace(`${d.dir}/tend.pid`, `${d.dir}/other.pid`),
    });
    const code = await second.exit();
    assert.equal(code, 1);
    assert.match(second.output, /another daemon is already listening on .*t\.sock/);
    assert.equal((await d.info()).length, 2, 'the first daemon is untouched');
    // Its own socket but the same pid file: the same config started twice, refused before it
    // could take the first daemon's programs for leftovers.
    const twin = spawnDaemon(programs, {
      dir: tempDir(),
      header: header(d.dir).replace(`${d.dir}/t.sock`, `${d.dir}/twin.sock`),
    });
    assert.equal(await twin.exit(), 1);
    assert.match(twin.output, /another daemon \(pid \d+\) is running with the pid file .*tend\.pid/);
    const pids = (await d.info()).map((p) => p.pid);
    assert.ok(
      pids.every((pid) => alive(pid)),
      'the first daemon keeps its programs',
    );

    d.signal('SIGKILL');
    await d.exit();
    assert.ok(existsSync(`${d.dir}/t.sock`), 'kill -9 leaves the socket behind');
    const third = await startDaemon(programs, { dir: d.dir });
    assert.equal((await third.info()).length, 2, 'a stale socket is replaced');
  });

  it('after kill -9 of the daemon, the guardian stops its children; a restart runs each program once', async () => {
    // A command line no other test runs, so counting its processes counts this daemon's.
    const marker = `sleep 100000.${String(process.pid)}${String(Date.now() % 100000)}`;
    const programs = `
[program:a]
command = ${marker}
startsecs = 0

[program:b]
command = ${fixture('grandchild.sh')} %(here)s/b.grandchild
startsecs = 0
stopwaitsecs = 2
`;
    const d = await startDaemon(programs);
    await d.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    await sleep(200);
    const before = (await d.info()).map((p) => p.pid);
    const grandchild = Number(readFileSync(`${d.dir}/b.grandchild`, 'utf8'));
    d.signal('SIGKILL');
    await d.exit();
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      (before.some((pgid) => groupMembers(pgid).length > 0) || alive(grandchild))
    )
      await sleep(50);
    for (const pgid of before)
      assert.deepEqual(groupMembers(pgid), [], `group ${pgid} stopped by the guardian`);
    assert.ok(!alive(grandchild));

    const again = await startDaemon(programs, { dir: d.dir });
    await again.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    const copies = (await run('pgrep', ['-x', '-f', marker])).stdout.trim().split('\n');
    assert.deepEqual(
      copies,
      [String((await again.info()).find((p) => p.name === 'a')?.pid)],
      'one a, not two',
    );
  });

  it('after kill -9 of the daemon and its guardian, the next start stops the leftovers before spawning', async () => {
    const d = await startDaemon(programs);
    await d.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    const before = (await d.info()).map((p) => p.pid);
    await run('pkill', ['-KILL', '-f', `tend-guardian ${d.dir}/tend.pid.children`]);
    d.signal('SIGKILL');
    await d.exit();
    await sleep(300);
    assert.ok(
      before.some((pgid) => groupMembers(pgid).length > 0),
      'children outlived both',
    );

    const again = await startDaemon(programs, { dir: d.dir });
    await again.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    assert.match(
      again.output,
      /found a \(process group \d+\) still running from an earlier run; stopping it with SIGTERM/,
    );
    for (const pgid of before) assert.deepEqual(groupMembers(pgid), []);
  });

  it('SIGHUP applies the new config by difference: unchanged pids survive', async () => {
    const d = await startDaemon(`
[program:keep]
command = ${fixture('forever.sh')}
startsecs = 0

[program:change]
command = ${fixture('forever.sh')}
startsecs = 0

[program:drop]
command = ${fixture('forever.sh')}
startsecs = 0
`);
    await d.waitFor('all running', (ps) => ps.length === 3 && ps.every((p) => p.statename === 'RUNNING'));
    const before = Object.fromEntries((await d.info()).map((p) => [p.name, p.pid]));
    const conf = readFileSync(d.conf, 'utf8');
    writeFileSync(
      d.conf,
      conf
        .replace(/\[program:drop\][^[]*/, '')
        .replace('[program:change]', '[program:change]\nenvironment = NEW="1"')
        .replace('loglevel = info', 'loglevel = debug')
        .concat(`\n[program:add]\ncommand = ${fixture('forever.sh')}\nstartsecs = 0\n`),
    );
    d.signal('SIGHUP');
    const after = await d.waitFor('reload applied', (ps) => {
      const names = ps
        .map((p) => p.name)
        .sort()
        .join(',');
      return names === 'add,change,keep' && ps.every((p) => p.statename === 'RUNNING');
    });
    const pids = Object.fromEntries(after.map((p) => [p.name, p.pid]));
    assert.equal(pids.keep, before.keep, 'unchanged program keeps its pid');
    assert.notEqual(pids.change, before.change, 'changed program restarted');
    assert.ok(!alive(before.drop ?? 0), 'removed program stopped');
    assert.match(
      d.output,
      /reloaded .*: added \[add:add\], changed \[change:change\], removed \[drop:drop\], 1 unchanged/,
    );
    // The daemon's own settings are not re-applied by a reload, and it says so.
    assert.match(
      d.output,
      /WARN .*tend\.conf: \[supervisord\] loglevel changed; the daemon keeps its current settings/,
    );
  });

  it('a reload with a bad config reports file:line and touches nothing', async () => {
    const d = await startDaemon(programs);
    await d.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    const before = (await d.info()).map((p) => p.pid);
    writeFileSync(
      d.conf,
      `${readFileSync(d.conf, 'utf8')}\n[program:c]\ncommand = /bin/true\nstartsecs = soon\n`,
    );
    d.signal('SIGHUP');
    await d.waitForOutput(/reload failed: .*tend\.conf:\d+.*startsecs.*soon/);
    assert.deepEqual(
      (await d.info()).map((p) => p.pid),
      before,
    );
  });

  it('logs one line per event to stdout and to [supervisord] logfile; --log-format json writes JSON lines', async () => {
    const text = await startDaemon(programs);
    await text.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    assert.match(text.output, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO spawned: 'a' with pid \d+$/m);
    await text.stop();
    assert.match(
      readFileSync(`${text.dir}/tend.log`, 'utf8'),
      /INFO spawned: 'a' with pid \d+\n[^]*INFO tend stopped\n$/,
    );

    const json = await startDaemon(programs, { args: ['--log-format', 'json'] });
    await json.waitFor('all running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    const lines = json.output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; msg: string; program?: string; pid?: number });
    const spawned = lines.find((l) => l.msg.startsWith("spawned: 'a'"));
    assert.ok(spawned !== undefined, json.output);
    assert.equal(spawned.level, 'info');
    assert.equal(spawned.program, 'a');
    assert.equal(typeof spawned.pid, 'number');
  });

  it('tend check validates a config and lists what it would run, exit 0 or 2', async () => {
    const dir = tempDir();
    writeFileSync(`${dir}/good.conf`, `${header(dir)}\n${programs}`);
    const good = await run(TEND, ['check', '-c', `${dir}/good.conf`]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /valid \(2 groups, 2 processes\)/);
    assert.match(good.stdout, new RegExp(`command +${fixture('forever.sh')}`));
    writeFileSync(`${dir}/bad.conf`, `${header(dir)}\n[program:x]\ncommand = /bin/true\nnumprocs = two\n`);
    const bad = await run(TEND, ['check', '-c', `${dir}/bad.conf`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.conf:\d+.*\[program:x\].*numprocs.*two/);
  });
});
