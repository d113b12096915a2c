import type { FastifyInstance } from 'fastify';
import { createApi, type ApiOptions, type DaemonControl } from '../../src/api/index.js';
import type { GroupConfig } from '../../src/config/types.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { configOf, groupConfig, processConfig } from './configs.js';
import { FakeClock } from './fake-clock.js';
import { FakeSpawner } from './fake-spawner.js';

// The HTTP application in-process (fastify.inject, no sockets) over a Supervisor whose children
// are fakes: SIGTERM kills them, time moves when the test says so.

export interface TestApi {
  readonly app: FastifyInstance;
  readonly sup: Supervisor;
  readonly clock: FakeClock;
  readonly spawner: FakeSpawner;
  readonly calls: string[];
}

export const defaultGroups = (): GroupConfig[] => [
  groupConfig('web', [processConfig({ name: 'web', startsecs: 0 })]),
  groupConfig('idle', [processConfig({ name: 'idle', autostart: false })]),
  groupConfig('pool', [
    processConfig({ name: 'p1', startsecs: 1 }),
    processConfig({ name: 'p2', startsecs: 1 }),
  ]),
];

export const testApi = (
  groups: GroupConfig[] = defaultGroups(),
  options: Partial<Pick<ApiOptions, 'metrics'>> = {},
): TestApi => {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  spawner.lethalSignals.add('TERM');
  const sup = new Supervisor(configOf(groups), {
    spawner,
    clock,
    log: () => undefined,
    env: { PATH: '/usr/bin:/bin' },
    cwd: '/',
  });
  const calls: string[] = [];
  const daemon: DaemonControl = {
    version: '0.0.0-test',
    pid: 4242,
    mainLog: null,
    readConfig: () => sup.config,
    reload: () => {
      calls.push('reload');
      return Promise.resolve({ added: [], changed: [], removed: [], unchanged: 0, rolling: [] });
    },
    restart: () => calls.push('restart'),
    shutdown: () => calls.push('shutdown'),
  };
  const app = createApi({ supervisor: sup, daemon, credentialsFor: () => null, ...options });
  return { app, sup, clock, spawner, calls };
};

/** Awaits `work` while moving the fake clock, so operations that wait on timers finish. */
export const pumping = async <T>(clock: FakeClock, work: Promise<T>): Promise<T> => {
  const state = { done: false };
  const result = work.finally(() => {
    state.done = true;
  });
  while (!state.done) {
    clock.advance(500);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
};
