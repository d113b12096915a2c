// Rolling restarts against the fake spawner and clock (issue 12): the order of spawns and stops
// (never fewer ready instances than before), the shared socket on every spawn, a failed new
// instance that leaves the old ones alone, and the socket table's lifetime.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListenSocketConfig, ProcessConfig } from '../../../src/config/types.js';
import { SpawnFailure } from '../../../src/process/index.js';
import { Supervisor, applyReload, rollingRestart, startAutostart } from '../../../src/supervisor/index.js';
import { SocketTable } from '../../../src/supervisor/sockets.js';
import { pumping } from '../../helpers/api.js';
import { configOf, groupConfig, processConfig } from '../../helpers/configs.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner } from '../../helpers/fake-spawner.js';

const SOCKET: ListenSocketConfig = {
  url: 'tcp://127.0.0.1:8080',
  kind: 'tcp',
  address: '127.0.0.1',
  port: 8080,
  backlog: null,
  mode: 0o700,
  owner: null,
};

const web = (n: number, overrides: Partial<ProcessConfig> = {}): ProcessConfig[] => {
  const base = { program: 'web', startsecs: 0, socket: SOCKET, restartStrategy: 'rolling' as const };
  const surge = processConfig({ ...base, name: 'web-surge', processNum: n, ...overrides });
  return Array.from({ length: n }, (_, i) =>
    processConfig({ ...base, name: `web_${i}`, processNum: i, surge: [surge], ...overrides }),
  );
};

const setup = (processes: ProcessConfig[]) => {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  spawner.lethalSignals.add('TERM');
  const opened: string[] = [];
  const closed: number[] = [];
  let nextFd = 40;
  const sup = new Supervisor(configOf([groupConfig('web', processes)]), {
    spawner,
    clock,
    log: () => undefined,
    env: { PATH: '/usr/bin:/bin' },
    cwd: '/',
    socketOps: {
      open: (spec) => {
        opened.push(spec.url);
        return nextFd++;
      },
      close: (fd) => {
        closed.push(fd);
      },
    },
  });
  // What happened, in order: `spawn NAME` and `stop NAME` (the TERM that stops it).
  const trail: string[] = [];
  const kill = spawner.kill.bind(spawner);
  spawner.kill = (pid, signal, group) => {
    const child = spawner.children.find((c) => c.pid === pid);
    if (signal === 'TERM') trail.push(`stop ${child?.request.env.SUPERVISOR_PROCESS_NAME ?? pid}`);
    return kill(pid, signal, group);
  };
  const spawn = spawner.spawn.bind(spawner);
  spawner.spawn = (request) => {
    trail.push(`spawn ${request.env.SUPERVISOR_PROCESS_NAME ?? ''}`);
    return spawn(request);
  };
  startAutostart(sup);
  clock.advance(0);
  trail.length = 0;
  return { sup, clock, spawner, trail, opened, closed };
};

describe('rolling restart', () => {
  it('starts an extra instance, stops the old one, brings it back, then stops the extra one, per instance', async () => {
    const { sup, clock, spawner, trail, opened } = setup(web(2));
    const [status] = await pumping(clock, rollingRestart(sup, sup.targets(), true));
    assert.equal(status?.state, 'succeeded');
    assert.deepEqual(trail, [
      'spawn web-surge',
      'stop web_0',
      'spawn web_0',
      'stop web-surge',
      'spawn web-surge',
      'stop web_1',
      'spawn web_1',
      'stop web-surge',
    ]);
    // One socket, opened once, passed to every instance as fd 3 with the protocol's variables.
    assert.deepEqual(opened, ['tcp://127.0.0.1:8080']);
    for (const child of spawner.children) {
      assert.deepEqual(child.request.extraFds, [40]);
      assert.deepEqual(child.request.pidEnv, ['LISTEN_PID']);
      assert.equal(child.request.env.LISTEN_FDS, '1');
      assert.equal(child.request.env.LISTEN_FDNAMES, 'web');
    }
    assert.deepEqual(
      sup.allInfo().map((i) => i.statename),
      ['RUNNING', 'RUNNING'],
    );
    const events = sup.history
      .since(0)
      .events.map((e) => e.type)
      .filter((t) => t.startsWith('ROLLOUT'));
    assert.deepEqual(events, [
      'ROLLOUT_STARTED',
      ...Array<string>(8).fill('ROLLOUT_STEP'),
      'ROLLOUT_SUCCEEDED',
    ]);
  });

  it('with rolling_max_surge = 2 replaces two instances at a time, each beside its own extra one', async () => {
    const surge = (name: string, processNum: number) =>
      processConfig({ program: 'web', name, processNum, startsecs: 0, socket: SOCKET });
    const extras = [surge('web-surge', 4), surge('web-surge2', 5)];
    const { sup, clock, trail } = setup(web(4, { rollingMaxSurge: 2, surge: extras }));
    const [status] = await pumping(clock, rollingRestart(sup, sup.targets(), true));
    assert.equal(status?.state, 'succeeded');
    assert.equal(status.done, 4);
    // The first batch: both extra instances start before either old instance stops.
    assert.deepEqual(trail.slice(0, 2).sort(), ['spawn web-surge', 'spawn web-surge2']);
    assert.equal(trail.filter((t) => t.startsWith('spawn web-surge')).length, 4);
    assert.ok(trail.indexOf('stop web_2') > trail.indexOf('stop web-surge2'), trail.join(', '));
  });

  it('without a surge replaces one instance at a time in place', async () => {
    const { sup, clock, trail } = setup(web(2, { rollingMaxSurge: 0, surge: [] }));
    const [status] = await pumping(clock, rollingRestart(sup, sup.targets(), true));
    assert.equal(status?.state, 'succeeded');
    assert.deepEqual(trail, ['stop web_0', 'spawn web_0', 'stop web_1', 'spawn web_1']);
  });

  it('a new instance that cannot start fails the rollout: the old instances are not touched', async () => {
    const { sup, clock, spawner, trail } = setup(web(2));
    const before = sup.allInfo().map((i) => i.pid);
    for (let i = 0; i < 5; i++)
      spawner.failNext(new SpawnFailure("couldn't exec /bin/sh: ENOENT", 'ENOENT', 'execve'));
    const [status] = await pumping(clock, rollingRestart(sup, sup.targets(), true));
    assert.ok(status !== undefined);
    assert.equal(status.state, 'failed');
    assert.equal(status.done, 0);
    assert.match(status.error ?? '', /^web-surge did not get ready: /);
    assert.deepEqual(status.surge, []);
    assert.ok(!trail.some((t) => t.startsWith('stop web_')), trail.join(', '));
    assert.deepEqual(
      sup.allInfo().map((i) => i.pid),
      before,
    );
  });

  it('an abort while an instance is being replaced brings it back first, then stops the extra one', async () => {
    const { sup, clock, trail } = setup(web(2));
    const statuses = rollingRestart(sup, sup.targets(), false);
    await pumping(clock, statuses);
    const running = sup.rollouts.of('web', 'web');
    assert.ok(running !== undefined);
    while (!trail.includes('stop web_0')) {
      clock.advance(0);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // web_0 is being replaced: the abort must not leave it down.
    running.abort('aborted by request');
    await pumping(clock, running.finished);
    assert.equal(running.state, 'aborted');
    assert.equal(running.done, 1);
    assert.deepEqual(trail, ['spawn web-surge', 'stop web_0', 'spawn web_0', 'stop web-surge']);
    assert.deepEqual(
      sup.allInfo().map((i) => i.statename),
      ['RUNNING', 'RUNNING'],
    );
  });

  it('a reload that changed the program rolls it to the new config; the socket stays the same', async () => {
    const { sup, clock, spawner, opened, closed } = setup(web(2));
    const next = configOf([groupConfig('web', web(2, { environment: { VERSION: 'v2' } }))]);
    const report = await pumping(clock, applyReload(sup, next));
    assert.deepEqual(report.rolling, ['web:web_0', 'web:web_1']);
    const rollout = sup.rollouts.of('web', 'web');
    assert.ok(rollout !== undefined);
    await pumping(clock, rollout.finished);
    assert.equal(rollout.state, 'succeeded');
    const latest = spawner.children.slice(-4).map((c) => c.request.env.VERSION);
    assert.deepEqual(latest, ['v2', 'v2', 'v2', 'v2']);
    assert.deepEqual(
      sup.targets().map((t) => t.entry.proc.config.environment.VERSION),
      ['v2', 'v2'],
    );
    clock.advance(10);
    assert.deepEqual(opened, ['tcp://127.0.0.1:8080']);
    assert.deepEqual(closed, []);
  });
});

describe('socket table', () => {
  it('closes a socket one tick after its last user lets go, unless a new user took it', () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const table = new SocketTable(clock, {
      open: (spec) => {
        events.push(`open ${spec.url}`);
        return 7;
      },
      close: (fd) => {
        events.push(`close ${fd}`);
      },
    });
    const config = processConfig({ socket: SOCKET });
    const a = table.grant(config);
    a?.release();
    const b = table.grant(config);
    clock.advance(0);
    assert.deepEqual(events, ['open tcp://127.0.0.1:8080']);
    b?.release();
    b?.release();
    clock.advance(0);
    assert.deepEqual(events, ['open tcp://127.0.0.1:8080', 'close 7']);
    assert.equal(table.grant(processConfig()), null);
  });
});
