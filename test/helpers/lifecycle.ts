import type { ProcessConfig } from '../../src/config/types.js';
import { EventBus } from '../../src/events/index.js';
import { ManagedProcess, type RestartBudget } from '../../src/process/index.js';
import { processConfig } from './configs.js';
import { FakeClock } from './fake-clock.js';
import { FakeSpawner } from './fake-spawner.js';

/** One ManagedProcess on a fake clock and spawner, recording its transitions and log lines. */
export const setupProcess = (
  overrides: Partial<ProcessConfig> = {},
  opts: {
    autoRestart?: boolean;
    extraEnv?: Record<string, string>;
    autoServerUrl?: string;
    /** Shared by several processes (a crash storm): one clock, one spawner, one budget. */
    clock?: FakeClock;
    spawner?: FakeSpawner;
    restartBudget?: RestartBudget;
  } = {},
) => {
  const clock = opts.clock ?? new FakeClock();
  const spawner = opts.spawner ?? new FakeSpawner();
  const bus = new EventBus();
  const transitions: string[] = [];
  const logs: string[] = [];
  bus.on('PROCESS_STATE', (e) => transitions.push(`${e.from}>${e.to}`));
  const p = new ManagedProcess(processConfig(overrides), {
    spawner,
    clock,
    bus,
    log: (level, message) => logs.push(`${level} ${message}`),
    baseEnv: { PATH: '/usr/bin:/bin', HOME: '/root' },
    autoServerUrl: opts.autoServerUrl ?? null,
    cwd: '/',
    autoRestartAllowed: () => opts.autoRestart ?? true,
    onSpawn: () => undefined,
    onExit: () => undefined,
    ...(opts.extraEnv === undefined ? {} : { extraEnv: opts.extraEnv }),
    ...(opts.restartBudget === undefined ? {} : { restartBudget: opts.restartBudget }),
  });
  return { p, clock, spawner, transitions, logs, bus };
};

/**
 * Lets the current child live `uptimeMs`, makes it exit 1, and measures how long until the next
 * spawn (0 when it is immediate), `rounds` times; stops early when the process goes FATAL.
 */
export const spawnGaps = (s: ReturnType<typeof setupProcess>, rounds: number, uptimeMs: number): number[] => {
  const gaps: number[] = [];
  for (let i = 0; i < rounds; i++) {
    s.clock.advance(uptimeMs);
    const spawned = s.spawner.children.length;
    s.spawner.last.exit(1);
    const from = s.clock.now();
    while (s.spawner.children.length === spawned) {
      if (s.p.state === 'FATAL' || s.clock.now() - from > 3_600_000) return gaps;
      s.clock.advance(10);
    }
    gaps.push(s.clock.now() - from);
  }
  return gaps;
};
