import { ProcessStates, describe, type ManagedProcess } from '../process/index.js';
import type { LogChannel } from '../logs/index.js';
import type { Health } from '../readiness/index.js';
import { dependenciesOf } from './dependencies.js';
import type { ProcessEntry } from './entries.js';
import type { EntryReadiness } from './entry-readiness.js';
import type { ProcessConfigSource, ProcessHistory, ProcessStats } from '../protocol/process-info.js';
import type { ProcessInfo } from './results.js';
import type { Supervisor, Target } from './supervisor.js';

const seconds = (ms: number): number => Math.floor(ms / 1000);

// The description is supervisord's for every process that uses no tend key, so getProcessInfo
// stays byte-compatible. A process that does gets what tend knows beyond supervisord appended
// where supervisord prints nothing useful: what a STARTING process waits for, what a RUNNING one
// said (STATUS=), its health and why it was last restarted, what a held start waits for.

const startingNote = (p: ManagedProcess, r: EntryReadiness): string => {
  const ready = p.config.ready;
  if (ready.kind === 'startsecs') return '';
  if (r.notify.status !== null) return r.notify.status;
  const last = r.lastProbe;
  const what = ready.kind === 'notify' ? 'READY=1' : ready.text;
  return `waiting for ${what}${last === null ? '' : ` (last: ${last})`}`;
};

const healthNote = (r: EntryReadiness): string | null => {
  const h = r.health;
  if (h === null) return null;
  if (h.failures > 0) {
    const retries = r.config.healthcheck?.retries ?? 0;
    return `health: ${h.health}, ${h.failures}/${retries} failed (${h.lastError ?? ''})`;
  }
  return `health: ${h.health}`;
};

const runningNotes = (p: ManagedProcess, r: EntryReadiness): string[] =>
  [
    r.notify.status,
    healthNote(r),
    p.lastRestart === null ? null : `last restart: ${p.lastRestart.reason}`,
  ].filter((s): s is string => s !== null && s !== '');

// Only while a log file cannot be written, in any state: supervisorctl status shows it then.
const logNotes = (entry: ProcessEntry): string[] =>
  [entry.stdout, entry.stderr].flatMap((channel) => {
    const stats = channel.stats;
    if (stats.error === null) return [];
    const dropped = stats.droppedBytes === 0 ? '' : `, ${stats.droppedBytes} bytes dropped`;
    return [`${channel.stream} log not writable (${stats.error}${dropped})`];
  });

const stateNotes = (entry: ProcessEntry, waitingFor: string | null): string[] => {
  const p = entry.proc;
  if (waitingFor !== null) return [`waiting for ${waitingFor}`];
  if (p.state === 'STARTING') return [startingNote(p, entry.readiness)].filter((s) => s !== '');
  if (p.state === 'RUNNING') return runningNotes(p, entry.readiness);
  return [];
};

const tendNotes = (entry: ProcessEntry, waitingFor: string | null): string[] => [
  ...stateNotes(entry, waitingFor),
  ...logNotes(entry),
];

export const processInfo = (
  entry: ProcessEntry,
  nowMs: number,
  waitingFor: string | null = null,
): ProcessInfo => {
  const p = entry.proc;
  const start = seconds(p.laststart);
  const stop = seconds(p.laststop);
  const now = seconds(nowMs);
  const base = describe({
    state: p.state,
    pid: p.pid,
    start,
    stop,
    now,
    spawnerr: p.spawnerr,
    name: p.config.name,
  });
  const notes = tendNotes(entry, waitingFor);
  // A held start replaces STOPPED's "Not started"/stop time; elsewhere notes follow the text.
  const description =
    waitingFor !== null ? notes.join(', ') : [base, ...notes].filter((s) => s !== '').join(', ');
  return {
    name: p.config.name,
    group: p.config.group,
    start,
    stop,
    now,
    state: ProcessStates[p.state],
    statename: p.state,
    spawnerr: p.spawnerr,
    exitstatus: p.exitstatus ?? 0,
    logfile: entry.stdout.path ?? '',
    stdout_logfile: entry.stdout.path ?? '',
    stderr_logfile: entry.stderr.path ?? '',
    pid: p.pid,
    description,
  };
};

/** One log stream of a process: where it goes and what reached it. */
export interface LogStreamInfo {
  /** The file, or null when the stream is discarded (NONE, or stderr redirected). */
  readonly path: string | null;
  readonly writtenBytes: number;
  /** Output dropped because the file could not be written (the file marks each place). */
  readonly droppedBytes: number;
  readonly droppedLines: number;
  /** Output waiting in memory for the file to take it. */
  readonly heldBytes: number;
  readonly rotations: number;
  /** Why the file cannot be written now (ENOSPC, EACCES …); null while it can. */
  readonly error: string | null;
  /** Epoch seconds of the last drop; null if nothing was ever dropped. */
  readonly lastDrop: number | null;
}

/** tend's fields of one process, for the JSON API (`tend` beside supervisord's fields). */
export interface TendProcessInfo {
  readonly ready: string;
  readonly readiness: {
    readonly status: string | null;
    readonly reloading: boolean;
    readonly stopping: boolean;
    readonly mainpid: number | null;
    readonly errno: number | null;
    readonly lastMessage: number | null;
    readonly oversizeMessages: number;
    readonly lastProbe: string | null;
  };
  /** null when the program has no healthcheck. */
  readonly health: Health | null;
  /** Epoch seconds of the last health probe. */
  readonly lastCheck: number | null;
  readonly lastError: string | null;
  readonly lastRestart: { readonly reason: string; readonly time: number } | null;
  readonly dependsOn: readonly string[];
  /** What a held start waits for, e.g. `db (STARTING)`; null when not waiting. */
  readonly waitingFor: string | null;
  readonly backoff: { readonly failedStarts: number; readonly restartStreak: number };
  readonly logs: { readonly stdout: LogStreamInfo; readonly stderr: LogStreamInfo };
  /** Automatic restarts since the process was added (crash, retry, health, watchdog). */
  readonly restarts: number;
  /** CPU and memory of its process tree from the latest pass; null when not running or not measured. */
  readonly stats: ProcessStats | null;
  /** memory_limit, and the samples in a row above it so far; null without a limit. */
  readonly memoryLimit: { readonly bytes: number; readonly checks: number; readonly over: number } | null;
  /** cron_restart and its next firing (epoch seconds); null without a schedule. */
  readonly cronRestart: {
    readonly expression: string;
    readonly timezone: string | null;
    readonly next: number | null;
  } | null;
  /** stop-start (supervisord) or rolling (docs/zero-downtime.md). */
  readonly restartStrategy: string;
  /** The rolling restart of its program in progress, if any (GET /api/v1/rollouts has the rest). */
  readonly rollout: {
    readonly rollout: number;
    readonly done: number;
    readonly total: number;
    readonly step: string;
  } | null;
}

const policiesOf = (sup: Supervisor, p: Target['entry']['proc']) => {
  const { memoryLimit: bytes, memoryLimitChecks: checks, cronRestart: cron } = p.config;
  const next = sup.cron.nextFor(p);
  return {
    memoryLimit: bytes > 0 ? { bytes, checks, over: sup.memory.overCount(p) } : null,
    cronRestart: cron === null ? null : { ...cron, next: next === null ? null : seconds(next) },
  };
};

const logStreamInfo = (channel: LogChannel): LogStreamInfo => {
  const { lastDrop, ...stats } = channel.stats;
  return { path: channel.path, ...stats, lastDrop: lastDrop === null ? null : seconds(lastDrop) };
};

/** `all` is every target (sup.targets()), passed in so a listing computes it once, not per process. */
export const tendInfo = (sup: Supervisor, target: Target, all: readonly Target[]): TendProcessInfo => {
  const { proc: p, readiness: r } = target.entry;
  const health = r.health;
  return {
    ready: p.config.ready.text,
    readiness: {
      ...r.notify,
      oversizeMessages: r.endpoint?.oversize ?? 0,
      lastProbe: r.lastProbe,
    },
    health: health?.health ?? null,
    lastCheck: health?.lastCheck == null ? null : seconds(health.lastCheck),
    lastError: health?.lastError ?? null,
    lastRestart:
      p.lastRestart === null ? null : { reason: p.lastRestart.reason, time: seconds(p.lastRestart.time) },
    dependsOn: dependenciesOf(all, target).map((t) => t.namespec),
    waitingFor: sup.gate.waitingFor(p),
    backoff: { failedStarts: p.backoff, restartStreak: p.restartStreak },
    logs: { stdout: logStreamInfo(target.entry.stdout), stderr: logStreamInfo(target.entry.stderr) },
    restarts: p.history.restarts,
    stats: p.pid === 0 ? null : (sup.stats.latest().get(target.namespec) ?? null),
    ...policiesOf(sup, p),
    restartStrategy: p.config.restartStrategy,
    rollout: rolloutOf(sup, target),
  };
};

const rolloutOf = (sup: Supervisor, target: Target): TendProcessInfo['rollout'] => {
  const r = sup.rollouts.of(target.group.config.name, target.entry.proc.config.program);
  return r === undefined ? null : { rollout: r.id, done: r.done, total: r.plan.slots.length, step: r.step };
};

/** GET /api/v1/processes/NAME/history. */
export const processHistory = (target: Target): ProcessHistory => {
  const { history } = target.entry.proc;
  return { states: [...history.states], exits: [...history.exits], restarts: history.restarts };
};

/** GET /api/v1/processes/NAME/config: the section and its keys, where they were written. */
export const processConfigSource = (target: Target): ProcessConfigSource => {
  const { section, file, line, keys } = target.entry.proc.config.source;
  return { section, file, line, keys };
};
