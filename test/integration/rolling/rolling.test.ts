// restart_strategy = rolling (issue 12): a reload that changed the program and tend restart
// replace instances one at a time, each new one ready before an old one stops; a new version that
// never gets ready leaves the old instances serving and is reported; a rollout can be aborted;
// supervisorctl's restart keeps supervisord's meaning.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixture, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { missingSupervisor, SUPERVISORCTL } from '../../helpers/supervisord.js';
import { run } from '../../helpers/daemon.js';
import { freePort, get, pidOf, until } from './helpers.js';

const program = (port: number, extra = ''): string => `
[program:web]
command = ${fixture('socket-http.py')}
process_name = web_%(process_num)s
numprocs = 2
socket = tcp://127.0.0.1:${port}
ready = notify
ready_timeout = 3
restart_strategy = rolling
environment = VERSION=v1
${extra}`;

const pids = async (d: Daemon): Promise<number[]> => (await d.info()).map((p) => p.pid).sort();

const rewrite = (d: Daemon, from: string, to: string): void => {
  writeFileSync(d.conf, readFileSync(d.conf, 'utf8').replace(from, to));
};

/** The rollout events of the daemon's history, as `TYPE done/total`. */
const rolloutEvents = async (d: Daemon): Promise<string[]> => {
  const types = 'ROLLOUT_STARTED,ROLLOUT_STEP,ROLLOUT_SUCCEEDED,ROLLOUT_FAILED,ROLLOUT_ABORTED';
  const out = await d.tend(['events', '--json', '--types', types, '-n', '500']);
  return out.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { type: string; done: number; total: number })
    .map((e) => `${e.type} ${e.done}/${e.total}`);
};

const allRunning = (d: Daemon): Promise<unknown> =>
  d.waitFor(
    'every process RUNNING',
    (all) => all.length === 2 && all.every((p) => p.statename === 'RUNNING'),
  );

describe('rolling restarts', () => {
  it('a reload that changed the program rolls it: new pids, the new version answers, events mark each step', async () => {
    const port = await freePort();
    const d = await startDaemon(program(port));
    await allRunning(d);
    const before = await pids(d);
    rewrite(d, 'VERSION=v1', 'VERSION=v2');
    d.signal('SIGHUP');
    await d.waitForOutput(/rollout 1 of web succeeded: 2 of 2 replaced/);
    const after = await pids(d);
    assert.equal(after.filter((p) => before.includes(p)).length, 0);
    const answer = await get(port);
    assert.ok(
      answer.ok && answer.body.endsWith(' v2') && after.includes(pidOf(answer)),
      JSON.stringify(answer),
    );
    const events = await rolloutEvents(d);
    assert.equal(events[0], 'ROLLOUT_STARTED 0/2');
    assert.equal(events.at(-1), 'ROLLOUT_SUCCEEDED 2/2');
    assert.ok(events.includes('ROLLOUT_STEP 1/2') && events.includes('ROLLOUT_STEP 2/2'), events.join('\n'));
    assert.match(d.output, /rolling \[web:web_0, web:web_1\]/);
  });

  it('a new version that never gets ready: the rollout fails (event, status, exit 7) and the old instances keep serving', async () => {
    const port = await freePort();
    const d = await startDaemon(program(port));
    await allRunning(d);
    const before = await pids(d);
    rewrite(d, 'VERSION=v1', 'VERSION=v2,NEVER_READY=1');
    d.signal('SIGHUP');
    await d.waitForOutput(/rollout 1 of web failed: web-surge did not get ready/);
    // The daemon now has the new config: a restart rolls it again, and fails again.
    const restart = await d.tend(['restart', 'web']);
    assert.equal(restart.code, 7, restart.stdout + restart.stderr);
    assert.match(
      restart.stderr,
      /web: ERROR \(web: web-surge did not get ready: not ready after 3s \(ready = notify\) \(0 of 2 replaced\)\)/,
    );
    assert.deepEqual(await pids(d), before);
    for (let i = 0; i < 20; i++) {
      const r = await get(port);
      assert.ok(r.ok && r.body.endsWith(' v1') && before.includes(pidOf(r)), JSON.stringify(r));
    }
    const listing = await d.tend(['rollout']);
    assert.match(listing.stdout, /^web: rollout 2 failed \(0\/2\): web-surge did not get ready/m);
    const events = await rolloutEvents(d);
    assert.equal(events.filter((e) => e.startsWith('ROLLOUT_FAILED 0/2')).length, 2);
    // The extra instance was stopped: only the two old processes serve.
    const api = await d.api<{ rollouts: { state: string; surge: unknown[] }[] }>('GET', '/api/v1/rollouts');
    assert.deepEqual(
      api.body.rollouts.map((r) => [r.state, r.surge.length]),
      [['failed', 0]],
    );
  });

  it('tend rollout abort stops a rollout where it is; tend status shows it while it runs', async () => {
    const port = await freePort();
    const d = await startDaemon(program(port, 'ready_timeout = 60'));
    await allRunning(d);
    const before = await pids(d);
    rewrite(d, 'VERSION=v1', 'VERSION=v2,DELAY=60');
    d.signal('SIGHUP');
    await d.waitForOutput(/rollout 1 of web: starting web-surge beside web_0/);
    const status = await d.tend(['status']);
    assert.match(status.stderr, /^web: rollout 1 running \(0\/2\): starting web-surge beside web_0$/m);
    const info = await d.api<{ tend: { rollout: { done: number; total: number } | null } }>(
      'GET',
      '/api/v1/processes/web:web_0?tend=true',
    );
    assert.deepEqual(info.body.tend.rollout?.total, 2);
    const abort = await d.tend(['rollout', 'abort', 'web']);
    assert.equal(abort.code, 0, abort.stderr);
    assert.match(abort.stdout, /^web: rollout 1 aborted \(0\/2\): aborted by request$/m);
    assert.deepEqual(await pids(d), before);
    assert.ok((await get(port)).ok);
    const again = await d.tend(['rollout', 'abort', 'web']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no rolling restart of web is in progress/);
  });

  it("supervisorctl restart keeps supervisord's meaning: stop, then start, no rollout", async (t) => {
    const why = missingSupervisor();
    if (why !== null) {
      t.skip(why);
      return;
    }
    const port = await freePort();
    const d = await startDaemon(program(port));
    await allRunning(d);
    const ctl = await run(SUPERVISORCTL, ['-c', d.conf, 'restart', 'web:*'], { cwd: d.dir });
    assert.equal(ctl.code, 0, ctl.stdout + ctl.stderr);
    assert.match(ctl.stdout, /web:web_0: stopped[\s\S]*web:web_0: started/);
    assert.deepEqual(await rolloutEvents(d), []);
    await until('the plain restart to show in the log', () => /stopped: web_1/.test(d.output));
    assert.doesNotMatch(d.output, /rollout/);
  });
});
