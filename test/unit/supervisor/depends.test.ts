// depends_on in the supervisor, on a fake clock: held starts, what they wait for, failures, and
// the stop order (dependents first).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Config, ProcessConfig } from '../../../src/config/types.js';
import {
  Supervisor,
  applyReload,
  shutdown,
  startAll,
  startAutostart,
  startProcess,
  stopAll,
  stopProcess,
  updateGroups,
} from '../../../src/supervisor/index.js';
import { pumping } from '../../helpers/api.js';
import { configOf, groupConfig, processConfig } from '../../helpers/configs.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner } from '../../helpers/fake-spawner.js';

const p = (name: string, overrides: Partial<ProcessConfig> = {}) =>
  processConfig({ name, startsecs: 1, ...overrides });

// db ← api ← web, and a worker group that depends on api.
const chain = () => [
  groupConfig('web', [p('web', { dependsOn: ['api'] })], 1),
  groupConfig('api', [p('api', { dependsOn: ['db'] })], 2),
  groupConfig('db', [p('db')], 3),
  groupConfig('workers', [
    p('w_0', { program: 'workers', dependsOn: ['api'] }),
    p('w_1', { program: 'workers', dependsOn: ['api'] }),
  ]),
];

const setup = (groups = chain()) => {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  spawner.lethalSignals.add('TERM');
  const logs: string[] = [];
  const sup = new Supervisor(configOf(groups), {
    spawner,
    clock,
    log: (level, message) => logs.push(`${level} ${message}`),
    env: { PATH: '/usr/bin:/bin', NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '1' },
    cwd: '/',
  });
  const spawned = () => spawner.children.map((c) => c.request.env.SUPERVISOR_PROCESS_NAME);
  const info = (name: string) => sup.info(name);
  return { sup, clock, spawner, logs, spawned, info };
};

describe('start with a ready timeout', () => {
  it('a start that waits answers SPAWN_ERROR with the reason when the program is not ready in time', async () => {
    const { sup, clock } = setup([
      groupConfig('slow', [p('slow', { ready: { kind: 'notify', text: 'notify' }, readyTimeout: 2 })]),
    ]);
    const started = startProcess(sup, 'slow');
    clock.advance(2000);
    await assert.rejects(started, { code: 'SPAWN_ERROR', message: 'not ready after 2s (ready = notify)' });
    sup.close();
  });
});

describe('depends_on', () => {
  it('at daemon start, spawns each process only once its dependencies are RUNNING', () => {
    const { sup, clock, spawned, info } = setup();
    startAutostart(sup);
    assert.deepEqual(spawned(), ['db']);
    assert.equal(info('web').statename, 'STOPPED');
    assert.equal(info('web').description, 'waiting for api (STOPPED)');
    assert.equal(info('api').description, 'waiting for db (STARTING)');
    assert.equal(sup.tendInfo('api').waitingFor, 'db (STARTING)');
    clock.advance(1000);
    assert.deepEqual(spawned(), ['db', 'api']);
    clock.advance(1000);
    assert.deepEqual(spawned(), ['db', 'api', 'web', 'w_0', 'w_1']);
    clock.advance(1000);
    assert.ok(sup.allInfo().every((i) => i.statename === 'RUNNING'));
    assert.equal(info('web').description.startsWith('pid '), true);
  });

  it('does not hand the daemon’s own NOTIFY_SOCKET or WATCHDOG_USEC to children', () => {
    const { sup, spawner } = setup();
    startAutostart(sup);
    assert.equal(spawner.last.request.env.NOTIFY_SOCKET, undefined);
    assert.equal(spawner.last.request.env.WATCHDOG_USEC, undefined);
  });

  it('start of a dependent starts its stopped dependencies first and waits for RUNNING', async () => {
    const { sup, clock, spawned } = setup();
    const started = startProcess(sup, 'web');
    assert.deepEqual(spawned(), ['db']);
    clock.advance(1000);
    clock.advance(1000);
    clock.advance(1000);
    assert.equal(await started, true);
    assert.deepEqual(spawned(), ['db', 'api', 'web']);
  });

  it('a dependency that goes FATAL fails the waiting start with the reason', async () => {
    const { sup, clock, spawner, info } = setup([
      groupConfig('api', [p('api', { dependsOn: ['db'] })]),
      groupConfig('db', [p('db', { startretries: 0 })]),
    ]);
    const started = startProcess(sup, 'api');
    spawner.last.exit(1);
    await assert.rejects(started, {
      code: 'SPAWN_ERROR',
      message: 'dependency db is FATAL: Exited too quickly (process log may have details)',
    });
    assert.equal(info('api').statename, 'FATAL');
    assert.equal(
      info('api').description,
      'dependency db is FATAL: Exited too quickly (process log may have details)',
    );
    clock.advance(10_000);
    assert.equal(spawner.children.length, 1);
  });

  it('stopping a held start cancels it', async () => {
    const { sup, clock, spawned, info } = setup();
    startAutostart(sup);
    assert.equal(await stopProcess(sup, 'web'), true);
    assert.equal(info('web').description, 'Not started');
    clock.advance(5000);
    assert.ok(!spawned().includes('web'));
  });

  it('stop all and shutdown stop dependents before what they depend on', async () => {
    const { sup, clock, spawner } = setup();
    startAutostart(sup);
    clock.advance(3000);
    const order = (): string[] =>
      spawner.signals.map(
        (s) => spawner.children.find((c) => c.pid === s.pid)?.request.env.SUPERVISOR_PROCESS_NAME ?? '?',
      );
    await stopAll(sup);
    assert.deepEqual(order(), ['w_1', 'w_0', 'web', 'api', 'db']);
    spawner.signals.length = 0;
    startAutostart(sup);
    await startProcess(sup, 'workers:*', false);
    await startProcess(sup, 'web', false);
    clock.advance(5000);
    await shutdown(sup);
    // Shutdown keeps supervisord's priority levels among the processes free to stop.
    assert.deepEqual(order(), ['w_1', 'w_0', 'web', 'api', 'db']);
  });

  it('start all without waiting reports success for the dependencies it started itself', async () => {
    const { sup, clock } = setup();
    const results = await startAll(sup, false);
    assert.deepEqual(
      results.map((r) => [r.name, r.error?.code ?? null]),
      [
        ['db', null],
        ['api', null],
        ['web', null],
        ['w_0', null],
        ['w_1', null],
      ],
    );
    clock.advance(3000);
    assert.ok(sup.allInfo().every((i) => i.statename === 'RUNNING'));
  });

  it('stop all without waiting still reports every process it stops', async () => {
    const { sup, clock } = setup();
    startAutostart(sup);
    clock.advance(3000);
    const results = await stopAll(sup, false);
    assert.deepEqual(results.map((r) => r.name).sort(), ['api', 'db', 'w_0', 'w_1', 'web']);
    clock.advance(0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(sup.allInfo().every((i) => i.statename === 'STOPPED'));
  });

  // A reload or update that changes a dependency and its dependent restarts both in dependency
  // order: the dependent stops first and starts only once the dependency is RUNNING again.
  const changed = () => [
    groupConfig('web', [p('web', { dependsOn: ['api'], environment: { V: '2' } })], 1),
    groupConfig('api', [p('api', { dependsOn: ['db'], environment: { V: '2' } })], 2),
    groupConfig('db', [p('db', { environment: { V: '2' } })], 3),
  ];
  const named = (spawner: FakeSpawner, pid: number): string =>
    spawner.children.find((c) => c.pid === pid)?.request.env.SUPERVISOR_PROCESS_NAME ?? '?';

  for (const [how, apply] of [
    ['reload', (sup: Supervisor): Promise<unknown> => applyReload(sup, configOf(changed()))],
    ['update', (sup: Supervisor): Promise<unknown> => updateGroups(sup, configOf(changed()))],
  ] as const) {
    it(`${how} of a changed dependency and dependent restarts them in dependency order`, async () => {
      const { sup, clock, spawner, spawned, logs } = setup(chain().slice(0, 3));
      startAutostart(sup);
      clock.advance(3000);
      await pumping(clock, apply(sup));
      assert.deepEqual(
        spawner.signals.map((s) => named(spawner, s.pid)),
        ['web', 'api', 'db'],
        'dependents stop first',
      );
      assert.ok(!logs.some((l) => l.startsWith('error')), logs.join('\n'));
      clock.advance(1000);
      clock.advance(1000);
      clock.advance(1000);
      assert.deepEqual(spawned().slice(3), ['db', 'api', 'web'], 'dependencies start first');
      assert.ok(sup.allInfo().every((i) => i.statename === 'RUNNING'));
    });
  }

  for (const [how, apply] of [
    ['reload', (sup: Supervisor, next: Config): Promise<unknown> => applyReload(sup, next)],
    ['update', (sup: Supervisor, next: Config): Promise<unknown> => updateGroups(sup, next)],
  ] as const) {
    it(`${how} that replaces a start held for its dependencies starts the replacement, never the old one`, async () => {
      const { sup, clock, spawner, spawned } = setup(chain().slice(1, 3));
      startAutostart(sup);
      assert.deepEqual(spawned(), ['db'], 'api waits for db');
      const next = [
        groupConfig('api', [p('api', { dependsOn: ['db'], environment: { V: '2' } })], 2),
        chain()[2] as ReturnType<typeof groupConfig>,
      ];
      await apply(sup, configOf(next));
      clock.advance(1000);
      clock.advance(1000);
      assert.deepEqual(spawned(), ['db', 'api']);
      assert.equal(spawner.last.request.env.V, '2', 'the new config');
      assert.equal(sup.info('api').statename, 'RUNNING');
    });
  }
});
