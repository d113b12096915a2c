import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  alive,
  fixture,
  groupMembers,
  startDaemon as startWith,
  type DaemonOptions,
} from '../../helpers/daemon.js';

// Every transition of the lifecycle table, driven by real children from test/fixtures/programs,
// once per spawner: lifecycle.test.ts runs them with the default (native where the addon loads),
// lifecycle-fallback.test.ts with TEND_SPAWNER=child_process.

export type SpawnerUnderTest = 'auto' | 'child_process';

export const lifecycleCases = (spawner: SpawnerUnderTest): void => {
  const startDaemon = (body: string, options: DaemonOptions = {}) =>
    startWith(body, { ...options, env: { ...options.env, TEND_SPAWNER: spawner } });
  describe(`lifecycle with real children (TEND_SPAWNER=${spawner})`, () => {
    it('says once at start-up which spawner it uses', async () => {
      const d = await startDaemon('');
      const notes = d.output.match(/spawner: .*/g) ?? [];
      assert.equal(notes.length, 1, d.output);
      if (spawner === 'child_process')
        assert.match(notes.join(''), /^spawner: child_process \(TEND_SPAWNER=child_process\)$/);
      else
        assert.match(
          notes.join(''),
          /^spawner: (native|child_process, because the native spawner is unavailable: .+)/,
        );
    });

    it('STOPPED → STARTING → RUNNING after startsecs, then STOPPING → STOPPED on stop', async () => {
      const d = await startDaemon(`
[program:web]
command = ${fixture('forever.sh')}
startsecs = 1
`);
      const [starting] = await d.waitFor('web to start', (ps) => ps.some((p) => p.statename !== 'STOPPED'));
      assert.ok(['STARTING', 'RUNNING'].includes(starting?.statename ?? ''), starting?.statename);
      const running = await d.waitForState('web', 'RUNNING');
      assert.match(running[0]?.description ?? '', /^pid \d+, uptime 0:00:0\d$/);
      assert.equal((await d.api('POST', '/api/v1/processes/web/stop')).status, 200);
      const web = await d.process('web');
      assert.equal(web.statename, 'STOPPED');
      assert.match(web.description, /^[A-Z][a-z]{2} \d{2} \d{2}:\d{2} [AP]M$/);
      assert.match(
        d.output,
        /INFO success: web entered RUNNING state, process has stayed up for > than 1 seconds \(startsecs\)/,
      );
      assert.match(
        d.output,
        /INFO stopped: web \(terminated by SIGTERM\)|WARN stopped: web \(terminated by SIGTERM\)/,
      );
    });

    it('exits too quickly → BACKOFF, retries startretries times, then FATAL', async () => {
      const d = await startDaemon(`
[program:crash]
command = ${fixture('exit-with.sh')} 3
startsecs = 1
startretries = 2
`);
      const [crash] = await d.waitForState('crash', 'FATAL', 30_000);
      assert.equal(crash?.description, 'Exited too quickly (process log may have details)');
      assert.equal(
        (d.output.match(/spawned: 'crash' with pid/g) ?? []).length,
        3,
        'one attempt plus two retries',
      );
      assert.match(d.output, /INFO gave up: crash entered FATAL state, too many start retries too quickly/);
    });

    it('a missing command is FATAL with supervisord spawnerr text, and start answers NO_FILE', async () => {
      const d = await startDaemon(`
[program:ghost]
command = /nonexistent/ghost --flag
startretries = 0
`);
      const [ghost] = await d.waitForState('ghost', 'FATAL');
      assert.equal(ghost?.description, "can't find command '/nonexistent/ghost'");
      const res = await d.api<{ error: { code: string } }>('POST', '/api/v1/processes/ghost/start');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'NO_FILE');
    });

    it('a directory that fails chdir is a failed start for each of many programs started at once, never RUNNING', async () => {
      // 12 programs start in one turn of the loop: the native spawner does not wait for those
      // execs, so each chdir fails after the spawn returned, and must still be a failed start.
      const programs = Array.from(
        { length: 12 },
        (_, i) =>
          `[program:lost${i}]\ncommand = ${fixture('forever.sh')}\ndirectory = /nonexistent/dir${i}\nstartsecs = 0\nstartretries = 1\n`,
      ).join('\n');
      const d = await startDaemon(programs);
      for (let i = 0; i < 12; i++) {
        const lost = (await d.waitForState(`lost${i}`, 'FATAL')).find((p) => p.name === `lost${i}`);
        // child_process only learns libuv's errno (spawn ENOENT), the native spawner the step.
        if (spawner === 'child_process') assert.match(lost?.description ?? '', /ENOENT/);
        else assert.equal(lost?.description, `couldn't chdir to /nonexistent/dir${i}: ENOENT`);
      }
      assert.doesNotMatch(d.output, /lost\d+ entered RUNNING/);
    });

    it('RUNNING → EXITED: expected exits stay down, unexpected exits restart (autorestart=unexpected)', async () => {
      const d = await startDaemon(`
[program:ok]
command = ${fixture('sleep-then-exit.sh')} 0.3 0
startsecs = 0

[program:bad]
command = ${fixture('sleep-then-exit.sh')} 0.3 4
startsecs = 0
`);
      await d.waitForState('ok', 'EXITED');
      await d.waitFor('bad to restart twice', () => (d.output.match(/spawned: 'bad'/g) ?? []).length >= 3);
      const ok = await d.process('ok');
      assert.equal(ok.exitstatus, 0);
      assert.match(d.output, /INFO exited: ok \(exit status 0; expected\)/);
      assert.match(d.output, /WARN exited: bad \(exit status 4; not expected\)/);
      assert.equal((d.output.match(/spawned: 'ok'/g) ?? []).length, 1);
    });

    it('a process that ignores its stop signal is SIGKILLed after stopwaitsecs', async () => {
      const d = await startDaemon(`
[program:stubborn]
command = ${fixture('ignore-term.sh')}
startsecs = 0
stopwaitsecs = 1
`);
      await d.waitForState('stubborn', 'RUNNING');
      const { pid } = await d.process('stubborn');
      const res = await d.tend(['stop', 'stubborn']);
      assert.equal(res.stdout, 'stubborn: stopped\n');
      assert.match(d.output, new RegExp(`WARN killing 'stubborn' \\(${pid}\\) with SIGKILL`));
      assert.match(d.output, /stopped: stubborn \(terminated by SIGKILL\)/);
      assert.ok(!alive(pid));
    });

    it('stopasgroup reaches grandchildren; without it, what the program left behind is swept', async () => {
      const d = await startDaemon(`
[program:asgroup]
command = ${fixture('grandchild.sh')} %(here)s/asgroup.pid
startsecs = 0
stopasgroup = true

[program:plain]
command = ${fixture('grandchild.sh')} %(here)s/plain.pid
startsecs = 0
stopwaitsecs = 2
`);
      await d.waitFor('both running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
      await sleep(300);
      const leaders = Object.fromEntries((await d.info()).map((p) => [p.name, p.pid]));
      const grandchildren = {
        asgroup: Number(readFileSync(`${d.dir}/asgroup.pid`, 'utf8')),
        plain: Number(readFileSync(`${d.dir}/plain.pid`, 'utf8')),
      };
      assert.ok(alive(grandchildren.asgroup) && alive(grandchildren.plain));
      await d.tend(['stop', 'all']);
      await d.waitFor(
        'groups empty',
        () => groupMembers(leaders.asgroup ?? 0).length + groupMembers(leaders.plain ?? 0).length === 0,
        10_000,
      );
      assert.ok(!alive(grandchildren.asgroup));
      assert.ok(!alive(grandchildren.plain));
      assert.match(d.output, /plain: stopping what it left in its process group/);
    });

    it('gives children SUPERVISOR_* variables, environment, directory and umask', async () => {
      const d = await startDaemon(
        `
[program:env]
command = ${fixture('print-env.sh')}
directory = %(here)s/work
umask = 027
environment = TEND_TEST_A="hello world",TEND_TEST_B=2
startsecs = 0
stdout_logfile = %(here)s/env.log
`,
        { files: { 'work/.keep': '' } },
      );
      await d.waitForState('env', 'RUNNING');
      await d.waitFor('output', () => readFileSync(`${d.dir}/env.log`, 'utf8').includes('TEND_TEST_B'));
      const out = readFileSync(`${d.dir}/env.log`, 'utf8');
      assert.match(out, new RegExp(`^cwd=${d.dir}/work$`, 'm'));
      assert.match(out, /^umask=0027$/m);
      assert.match(out, /^SUPERVISOR_ENABLED=1$/m);
      assert.match(out, /^SUPERVISOR_PROCESS_NAME=env$/m);
      assert.match(out, /^SUPERVISOR_GROUP_NAME=env$/m);
      assert.match(out, new RegExp(`^SUPERVISOR_SERVER_URL=unix://${d.dir}/t.sock$`, 'm'));
      assert.match(out, /^TEND_TEST_A=hello world$/m);
    });

    it('numprocs creates named processes in one group; group:* starts and stops them together', async () => {
      const d = await startDaemon(`
[program:worker]
command = ${fixture('forever.sh')}
process_name = %(program_name)s_%(process_num)02d
numprocs = 3
numprocs_start = 1
autostart = false
startsecs = 0
`);
      const names = (await d.info()).map((p) => `${p.group}:${p.name}`);
      assert.deepEqual(names, ['worker:worker_01', 'worker:worker_02', 'worker:worker_03']);
      const start = await d.tend(['start', 'worker:*']);
      assert.equal(start.code, 0);
      assert.equal(
        start.stdout,
        'worker:worker_01: started\nworker:worker_02: started\nworker:worker_03: started\n',
      );
      const status = await d.tend(['status']);
      assert.equal(status.code, 0);
      assert.equal(status.stdout.split('\n').filter((l) => l.includes('RUNNING')).length, 3);
    });
  });
};
