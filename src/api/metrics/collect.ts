import { PROCESS_STATE_NAMES, SupervisorStates, type SupervisorState } from '../../protocol/states.js';
import type { ProcessStats } from '../../protocol/process-info.js';
import type { LogChannel } from '../../logs/index.js';
import type { AlertStatus } from '../../alerts/index.js';
import type { Supervisor, Target } from '../../supervisor/index.js';
import { RESTART_REASONS, type EventCounters, type ProcessCounts } from './counters.js';
import type { MonotonicCpu } from './monotonic.js';
import { Exposition, renderLabels } from './exposition.js';
import { selfFigures, type SelfFigures } from './self.js';

// One scrape: the state of every process as the supervisor holds it now, the counters the bus
// fed, the figures of a sampling pass no older than a second, and the daemon's own figures.

export interface ScrapeSources {
  readonly supervisor: Supervisor;
  /** The [alert:x] counts (none when the daemon sends no alerts). */
  readonly alerts: () => readonly AlertStatus[];
  readonly counters: EventCounters;
  readonly cpu: MonotonicCpu;
  readonly sseClients: () => number;
  readonly version: string;
}

/** A sampling pass at most this old serves a scrape; an older one is replaced first. */
export const SAMPLE_MAX_AGE_MS = 1000;

interface Row {
  readonly labels: string;
  readonly target: Target;
  readonly counts: ProcessCounts;
  readonly stats: ProcessStats | null;
}

const HEALTH_VERDICTS = ['unknown', 'healthy', 'unhealthy'] as const;
const SUPERVISOR_STATES = Object.keys(SupervisorStates) as SupervisorState[];

const rowsOf = (sources: ScrapeSources, figures: ReadonlyMap<string, ProcessStats>): Row[] =>
  sources.supervisor.targets().map((target) => {
    const { group, name } = target.entry.proc.config;
    return {
      labels: renderLabels([
        ['group', group],
        ['name', name],
      ]),
      target,
      counts: sources.counters.of(target.entry),
      stats: target.entry.proc.pid === 0 ? null : (figures.get(target.namespec) ?? null),
    };
  });

const writeStates = (out: Exposition, rows: readonly Row[]): void => {
  out.family('processState', (add) => {
    for (const { labels, target } of rows) {
      const current = target.entry.proc.state;
      for (const state of PROCESS_STATE_NAMES) add(`${labels},state="${state}"`, state === current ? 1 : 0);
    }
  });
  out.family('processUp', (add) => {
    for (const { labels, target } of rows) add(labels, target.entry.proc.pid === 0 ? 0 : 1);
  });
  out.family('processReady', (add) => {
    for (const { labels, target } of rows) add(labels, target.entry.proc.state === 'RUNNING' ? 1 : 0);
  });
  out.family('processHealth', (add) => {
    for (const { labels, target } of rows) {
      const health = target.entry.readiness.health?.health;
      if (health === undefined) continue;
      for (const verdict of HEALTH_VERDICTS) add(`${labels},health="${verdict}"`, verdict === health ? 1 : 0);
    }
  });
};

const writeLifecycle = (out: Exposition, rows: readonly Row[]): void => {
  out.family('processStartTime', (add) => {
    for (const { labels, target } of rows) add(labels, target.entry.proc.laststart / 1000);
  });
  out.family('processStartup', (add) => {
    for (const { labels, counts } of rows)
      if (counts.startupSeconds !== null) add(labels, counts.startupSeconds);
  });
  out.family('processRestarts', (add) => {
    for (const { labels, counts } of rows) {
      for (const reason of RESTART_REASONS)
        add(`${labels},reason="${reason}"`, counts.restarts.get(reason) ?? 0);
    }
  });
  out.family('processExits', (add) => {
    for (const { labels, counts } of rows) {
      for (const [code, n] of [...counts.exits].sort((a, b) => a[0] - b[0]))
        add(`${labels},code="${code}"`, n);
    }
  });
  out.family('processStartFailures', (add) => {
    for (const { labels, counts } of rows) add(labels, counts.startFailures);
  });
};

const writeResources = (out: Exposition, rows: readonly Row[], cpu: MonotonicCpu): void => {
  const measured = rows.filter((r) => r.stats !== null) as (Row & { stats: ProcessStats })[];
  out.family('processCpu', (add) => {
    for (const { labels, stats, target } of measured) {
      add(labels, cpu.value(target.entry, target.entry.proc.laststart, stats.cpuSeconds));
    }
  });
  out.family('processMemory', (add) => {
    for (const { labels, stats } of measured) add(labels, stats.rssBytes);
  });
  out.family('processTree', (add) => {
    for (const { labels, stats } of measured) add(labels, stats.pids);
  });
};

// A limit or a schedule is config, shown for every program that has one, running or not.
const writePolicies = (out: Exposition, rows: readonly Row[], sup: Supervisor): void => {
  out.family('processMemoryLimit', (add) => {
    for (const { labels, target } of rows) {
      const limit = target.entry.proc.config.memoryLimit;
      if (limit > 0) add(labels, limit);
    }
  });
  out.family('processNextCronRestart', (add) => {
    for (const { labels, target } of rows) {
      const next = sup.cron.nextFor(target.entry.proc);
      if (next !== null) add(labels, next / 1000);
    }
  });
};

const writeLogs = (out: Exposition, rows: readonly Row[]): void => {
  // Streams that go to a file; a discarded one (NONE, stderr redirected) counts nothing.
  const streams: [string, LogChannel][] = [];
  for (const { labels, target } of rows) {
    for (const channel of [target.entry.stdout, target.entry.stderr]) {
      if (channel.path !== null) streams.push([`${labels},stream="${channel.stream}"`, channel]);
    }
  }
  const write = (
    key: 'logWritten' | 'logDropped' | 'logHeld' | 'logRotations',
    pick: (c: LogChannel) => number,
  ) => {
    out.family(key, (add) => {
      for (const [labels, channel] of streams) add(labels, pick(channel));
    });
  };
  write('logWritten', (c) => c.stats.writtenBytes);
  write('logDropped', (c) => c.stats.droppedBytes);
  write('logHeld', (c) => c.stats.heldBytes);
  write('logRotations', (c) => c.stats.rotations);
};

const writeDaemon = (out: Exposition, sources: ScrapeSources): void => {
  const sup = sources.supervisor;
  out.family('buildInfo', (add) => {
    add(
      renderLabels([
        ['version', sources.version],
        ['nodejs', process.versions.node],
      ]),
      1,
    );
  });
  out.family('supervisorState', (add) => {
    for (const state of SUPERVISOR_STATES) add(`state="${state}"`, state === sup.state ? 1 : 0);
  });
  out.family('events', (add) => {
    for (const [type, n] of sources.counters.events) add(`type="${type}"`, n);
  });
  const pools = sup.pools.all().map((pool) => ({ labels: renderLabels([['pool', pool.name]]), pool }));
  out.family('listenerBuffered', (add) => {
    for (const { labels, pool } of pools) add(labels, pool.buffered);
  });
  out.family('listenerBufferSize', (add) => {
    for (const { labels, pool } of pools) add(labels, pool.config.bufferSize);
  });
  out.family('listenerDropped', (add) => {
    for (const { labels, pool } of pools) add(labels, pool.dropped);
  });
  writeAlerts(out, sources.alerts());
  out.family('sseClients', (add) => {
    add('', sources.sseClients());
  });
  out.family('statsPass', (add) => {
    const pass = sup.stats.lastPass;
    if (pass !== null) add('', pass.ms / 1000);
  });
};

const writeAlerts = (out: Exposition, alerts: readonly AlertStatus[]): void => {
  const rows = alerts.map((a) => ({ labels: renderLabels([['alert', a.name]]), a }));
  const write = (key: Parameters<Exposition['family']>[0], pick: (a: AlertStatus) => number): void => {
    out.family(key, (add) => {
      for (const { labels, a } of rows) add(labels, pick(a));
    });
  };
  write('alertEvents', (a) => a.stats.events);
  write('alertSent', (a) => a.stats.sent);
  write('alertFailed', (a) => a.stats.failed);
  write('alertRetries', (a) => a.stats.retries);
  write('alertDropped', (a) => a.stats.dropped);
  write('alertQueued', (a) => a.queued);
};

const writeSelf = (out: Exposition, self: SelfFigures): void => {
  const one = (key: Parameters<Exposition['family']>[0], value: number | null): void => {
    out.family(key, (add) => {
      if (value !== null) add('', value);
    });
  };
  one('cpuUser', self.userSeconds);
  one('cpuSystem', self.systemSeconds);
  one('cpuTotal', self.userSeconds + self.systemSeconds);
  one('startTime', self.startTimeSeconds);
  one('residentMemory', self.residentBytes);
  one('virtualMemory', self.virtualBytes);
  one('openFds', self.openFds);
  one('maxFds', self.maxFds);
  one('heapUsed', self.heapUsedBytes);
  one('heapTotal', self.heapTotalBytes);
  one('external', self.externalBytes);
};

/** The text of one scrape. */
export const renderScrape = async (sources: ScrapeSources): Promise<string> => {
  const [figures, self] = await Promise.all([
    sources.supervisor.stats.sample(SAMPLE_MAX_AGE_MS),
    selfFigures(),
  ]);
  const rows = rowsOf(sources, figures);
  const out = new Exposition();
  writeStates(out, rows);
  writeLifecycle(out, rows);
  writeResources(out, rows, sources.cpu);
  writePolicies(out, rows, sources.supervisor);
  writeLogs(out, rows);
  writeDaemon(out, sources);
  writeSelf(out, self);
  return out.text();
};
