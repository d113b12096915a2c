import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessConfig } from '../../../src/config/types.js';
import {
  Supervisor,
  applyReload,
  shutdown,
  signalProcess,
  startAll,
  startAutostart,
  startProcess,
  stopAll,
  stopProcess,
} from '../../../src/supervisor/index.js';
import { configOf, groupConfig, processConfig } from '../../helpers/configs.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner } from '../../helpers/fake-spawner.js';

const p = (name: string, overrides: Partial<ProcessConfig> = {}) =>
  processConfig({ name, startsecs: 0, ...overrides });

const setup = (
  groups = [
    groupConfig('a', [p('a')]),
    groupConfig('b', [p('b')], 10),
    groupConfig('g', [p('g_0'), p('g_1')]),
  ],
) => {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  spawner.lethalSignals.add('TERM');
  const logs: string[] = [];
  const sup = new Supervisor(configOf(groups), {
    spawner,
    clock,
    log: (level, message) => logs.push(`${level} ${message}`),
    env: { PATH: '/usr/bin:/bin' },
    cwd: '/',
  });
  return { sup, clock, spawner, logs };
};

/** Issues an operation, lets the fake clock fire what is due now, then awaits the result. */
const settled = async <T>(clock: FakeClock, op: Promise<T>): Promise<T> => {
  clock.advance(0);
  return op;
};

const states = (sup: Supervisor): Record<string, string> =>
  Object.fromEntries(sup.allInfo().map((i) => [`${i.group}:${i.name}`, i.statename]));

describe('Supervisor', () => {
  it('autostarts in priority order and reports getAllProcessInfo sorted by group, then name', () => {
    const { sup, clock, spawner } = setup();
    startAutostart(sup);
    assert.deepEqual(
      spawner.children.map((c) => c.request.env.SUPERVISOR_PROCESS_NAME),
      ['b', 'a', 'g_0', 'g_1'],
    );
    clock.advance(0);
    assert.deepEqual(states(sup), {
      'a:a': 'RUNNING',
      'b:b': 'RUNNING',
      'g:g_0': 'RUNNING',
      'g:g_1': 'RUNNING',
    });
    const info = sup.info('g:g_1');
    assert.equal(info.statename, 'RUNNING');
    assert.match(info.description, /^pid \d+, uptime 0:00:00$/);
  });

  it('addresses processes as supervisord does: name, group:name, group:*; BAD_NAME otherwise', async () => {
    const { sup } = setup();
    assert.equal(sup.target('a').namespec, 'a');
    assert.equal(sup.target('g:g_0').namespec, 'g:g_0');
    assert.equal(sup.resolve('g:*').targets.length, 2);
    assert.equal(sup.resolve('g:').targets.length, 2);
    assert.throws(() => sup.target('g'), { code: 'BAD_NAME', faultDetail: 'g' });
    assert.throws(() => sup.info('nope:x'), { code: 'BAD_NAME' });
    await assert.rejects(startProcess(sup, 'missing:*'), { code: 'BAD_NAME', faultDetail: 'missing' });
  });

  it('start waits for RUNNING; a second start is ALREADY_STARTED', async () => {
    const { sup, clock } = setup([groupConfig('web', [p('web', { startsecs: 1 })])]);
    const pending = startProcess(sup, 'web');
    let done = false;
    void pending.then(() => (done = true));
    await Promise.resolve();
    assert.equal(done, false);
    clock.advance(1000);
    assert.equal(await pending, true);
    await assert.rejects(startProcess(sup, 'web'), { code: 'ALREADY_STARTED', faultDetail: 'web' });
  });

  it('start reports SPAWN_ERROR when the process exits too quickly, ABNORMAL_TERMINATION when stopped meanwhile', async () => {
    const { sup, spawner } = setup([
      groupConfig('web', [p('web', { startsecs: 5 })]),
      groupConfig('x', [p('x', { startsecs: 5 })]),
    ]);
    const failing = startProcess(sup, 'web');
    spawner.children[0]!.exit(1);
    await assert.rejects(failing, { code: 'SPAWN_ERROR', faultDetail: 'web' });
    const interrupted = startProcess(sup, 'x');
    await stopProcess(sup, 'x', false);
    await assert.rejects(interrupted, { code: 'ABNORMAL_TERMINATION' });
  });

  it('a missing command is NO_FILE before anything is spawned', async () => {
    const { sup, spawner } = setup([groupConfig('x', [p('x', { argv: ['/no/such'], command: '/no/such' })])]);
    await assert.rejects(startProcess(sup, 'x'), {
      code: 'NO_FILE',
      faultDetail: "can't find command '/no/such'",
    });
    assert.equal(spawner.children.length, 0);
  });

  it('group operations return one result per process they applied to', async () => {
    const { sup, clock } = setup();
    await settled(clock, startProcess(sup, 'g:g_0'));
    const results = await settled(clock, startProcess(sup, 'g:*'));
    assert.deepEqual(
      results === true ? [] : results.map((r) => [r.name, r.error]),
      [['g_1', null]],
      'g_0 was already running, so only g_1 is reported',
    );
    const stopped = await stopProcess(sup, 'g:*');
    assert.ok(Array.isArray(stopped) && stopped.length === 2);
    assert.deepEqual(states(sup)['g:g_0'], 'STOPPED');
  });

  it('stop of a stopped process is NOT_RUNNING; stop escalates to SIGKILL after stopwaitsecs', async () => {
    const { sup, clock, spawner } = setup([
      groupConfig('w', [p('w', { stopwaitsecs: 3, stopsignal: 'USR1' })]),
    ]);
    await assert.rejects(stopProcess(sup, 'w'), { code: 'NOT_RUNNING' });
    await startProcess(sup, 'w', false);
    clock.advance(0);
    spawner.lethalSignals.add('KILL');
    const stopping = stopProcess(sup, 'w');
    clock.advance(3000);
    await stopping;
    assert.deepEqual(
      spawner.signals.map((s) => s.signal),
      ['USR1', 'KILL'],
    );
  });

  it('signal checks the signal name and the state', async () => {
    const { sup, clock, spawner } = setup();
    await assert.rejects(signalProcess(sup, 'a', 'HUP'), { code: 'NOT_RUNNING' });
    startAutostart(sup);
    clock.advance(0);
    await assert.rejects(signalProcess(sup, 'a', 'NOPE'), { code: 'BAD_SIGNAL', faultDetail: 'NOPE' });
    assert.equal(await signalProcess(sup, 'a', 'sighup'), true);
    assert.equal(await signalProcess(sup, 'b', '10'), true);
    assert.deepEqual(
      spawner.signals.slice(-2).map((s) => s.signal),
      ['HUP', 'USR1'],
    );
  });

  it('startAll and stopAll cover every process and answer SHUTDOWN_STATE once shutting down', async () => {
    const { sup, clock } = setup();
    assert.equal((await settled(clock, startAll(sup))).length, 4);
    assert.equal((await stopAll(sup)).length, 4);
    await shutdown(sup);
    await assert.rejects(startProcess(sup, 'a'), { code: 'SHUTDOWN_STATE' });
  });

  it('shutdown stops the highest priority number first and waits for each level', async () => {
    const { sup, clock, spawner } = setup([
      groupConfig('db', [p('db')], 1),
      groupConfig('app', [p('app')], 50),
    ]);
    startAutostart(sup);
    clock.advance(0);
    const order: string[] = [];
    sup.bus.on('PROCESS_STATE_STOPPING', (e) => {
      order.push(e.name);
    });
    await shutdown(sup);
    assert.deepEqual(order, ['app', 'db']);
    assert.equal(spawner.children.filter((c) => !c.exited).length, 0);
  });

  it('reload keeps unchanged processes (same pid), restarts changed ones, stops removed, starts added', async () => {
    const { sup, clock } = setup([
      groupConfig('keep', [p('keep')]),
      groupConfig('change', [p('change')]),
      groupConfig('drop', [p('drop')]),
    ]);
    startAutostart(sup);
    clock.advance(0);
    const pids = Object.fromEntries(sup.allInfo().map((i) => [i.name, i.pid]));
    const next = configOf([
      groupConfig('keep', [
        p('keep', { source: { file: '/other.conf', line: 99, section: 'program:keep', keys: [] } }),
      ]),
      groupConfig('change', [p('change', { environment: { NEW: '1' } })]),
      groupConfig('add', [p('add')]),
    ]);
    const report = await applyReload(sup, next);
    clock.advance(0);
    assert.deepEqual(report, {
      added: ['add:add'],
      changed: ['change:change'],
      removed: ['drop:drop'],
      unchanged: 1,
      rolling: [],
    });
    const after = Object.fromEntries(sup.allInfo().map((i) => [i.name, i]));
    assert.equal(after.keep?.pid, pids.keep, 'unchanged process keeps its pid');
    assert.notEqual(after.change?.pid, pids.change);
    assert.equal(after.change?.statename, 'RUNNING');
    assert.equal(after.add?.statename, 'RUNNING');
    assert.equal(after.drop, undefined);
  });

  it('reload leaves a changed process stopped if it was stopped', async () => {
    const { sup, clock } = setup([groupConfig('x', [p('x')])]);
    await settled(clock, startProcess(sup, 'x'));
    await stopProcess(sup, 'x');
    await applyReload(sup, configOf([groupConfig('x', [p('x', { startsecs: 2 })])]));
    assert.equal(sup.info('x').statename, 'STOPPED');
  });
});
