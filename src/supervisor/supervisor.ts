import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config, GroupConfig, LogConfig, ProcessConfig } from '../config/types.js';
import { TendError } from '../errors/index.js';
import { EventBus, EventHistory } from '../events/index.js';
import {
  FlushQueue,
  SyslogSender,
  type ChunkListener,
  type FileHealth,
  type LogChannel,
  type NativeLineFormat,
  type StreamName,
} from '../logs/index.js';
import {
  nativeLineFormat,
  runCommand,
  type Clock,
  type LifecycleLog,
  type ProcessState,
  type Spawner,
  type SupervisorState,
  RestartBudget,
} from '../process/index.js';
import {
  closeEntry,
  createEntry,
  createGroup,
  type ActiveGroup,
  type EntryFactory,
  type ProcessEntry,
} from './entries.js';
import { NotifyHub } from '../readiness/index.js';
import { processInfo, tendInfo, type TendProcessInfo } from './info.js';
import { StartGate } from './start-gate.js';
import { makeNamespec, splitNamespec } from '../protocol/names.js';
import type { OperationResult, ProcessInfo } from './results.js';
import { serverUrl } from './server-url.js';
import { logEvents } from './event-log.js';
import type { ListenerLink } from './listener-link.js';
import { ListenerPools } from './listener-pools.js';
import { Ticks } from './ticks.js';
import { StatsService } from './stats.js';
import { MemoryWatch } from './memory-watch.js';
import { CronRestarts } from './cron-restarts.js';
import { SocketTable, type SocketOps } from './sockets.js';
import { Rollouts } from './rollouts.js';
import type { ProcSource } from '../stats/index.js';

export interface SupervisorDeps {
  readonly spawner: Spawner;
  readonly clock: Clock;
  readonly log: LifecycleLog;
  /** The daemon's environment, which every child inherits. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Where the notify sockets of programs go (a 0700 directory); defaults to the temp dir. */
  readonly notifyDir?: string;
  /** The process table for CPU and memory figures (the daemon's /proc); none: no figures. */
  readonly procSource?: ProcSource | null;
  /** Where *_syslog lines go (shared with the daemon log); default: one of its own, made on first use. */
  readonly syslog?: SyslogSender;
  /** The addon's line formatting; default: loaded if built, null: JavaScript (tests compare both). */
  readonly lineNative?: NativeLineFormat | null;
  /** How listening sockets are opened and closed; defaults to the OS (tend's addon). */
  readonly socketOps?: SocketOps;
}

// The daemon's own init-system variables describe the daemon, not its children: a child that
// inherited NOTIFY_SOCKET could tell the host's systemd that tend is ready (sd_notify's
// unset_environment exists for the same reason).
const DAEMON_ONLY_ENV = [
  'NOTIFY_SOCKET',
  'WATCHDOG_USEC',
  'WATCHDOG_PID',
  'LISTEN_FDS',
  'LISTEN_PID',
  'LISTEN_FDNAMES',
];

interface Follower {
  readonly namespec: string;
  readonly stream: StreamName;
  readonly listener: ChunkListener;
  channel: LogChannel | null;
  unsubscribe: () => void;
}

export interface Target {
  readonly group: ActiveGroup;
  readonly entry: ProcessEntry;
  readonly namespec: string;
}

// The transport-neutral service: the one place that owns the running groups. XML-RPC, the JSON
// API, the CLI and the dashboard all call these methods and get plain data or a TendError back.
// Operations that span processes live in operations.ts; reload in reload.ts.

/** The log flush queue, with the native line formatter unless the deps bring their own. */
const flushQueueFor = (deps: SupervisorDeps): FlushQueue =>
  new FlushQueue({
    timers: deps.clock,
    native: deps.lineNative === undefined ? nativeLineFormat() : deps.lineNative,
  });
export class Supervisor {
  readonly bus: EventBus;
  /** Recent events, from the start: what an SSE client resumes from. */
  readonly history = new EventHistory();
  readonly deps: SupervisorDeps;
  readonly queue: FlushQueue;
  #state: SupervisorState = 'RUNNING';
  /** Starts that wait for depends_on. */
  readonly gate: StartGate;
  readonly notifyHub: NotifyHub;
  /** The [eventlistener:x] pools, by group name. */
  readonly pools: ListenerPools;
  /** TICK_5/60/3600, started when the daemon runs. */
  readonly ticks: Ticks;
  /** CPU and memory of each program's process tree, sampled while someone reads them. */
  readonly stats: StatsService;
  /** memory_limit: judges the sampler's passes. */
  readonly memory: MemoryWatch;
  /** cron_restart: one timer per scheduled process. */
  readonly cron: CronRestarts;
  /** The listening sockets of `socket =` programs. */
  readonly sockets: SocketTable;
  /** Rolling restarts, running and the last of each program. */
  readonly rollouts = new Rollouts();
  #config: Config;
  readonly #groups = new Map<string, ActiveGroup>();
  /** One budget for the daemon's lifetime: a reload changes its rate, not the turns it gave. */
  readonly restartBudget = new RestartBudget({ rate: 0, burst: 1 });
  readonly #followers = new Set<Follower>();
  #factory: EntryFactory;
  #ownSyslog: SyslogSender | null = null;

  constructor(config: Config, deps: SupervisorDeps) {
    this.deps = deps;
    this.queue = flushQueueFor(deps);
    this.#config = config;
    this.bus = new EventBus({
      now: () => deps.clock.now(),
      onListenerError: (error, event) => {
        deps.log('error', `a listener of ${event.type} failed: ${String(error)}`);
      },
    });
    this.bus.tap((event) => {
      this.history.record(event);
    });
    logEvents(this.bus, deps.log);
    this.pools = new ListenerPools({
      bus: this.bus,
      log: deps.log,
      server: () => this.#config.supervisord.identifier,
      members: (group) => listenersOf(this.#groups.get(group)),
    });
    this.notifyHub = new NotifyHub(deps.notifyDir ?? path.join(tmpdir(), `tend-notify-${process.pid}`));
    this.gate = new StartGate(this);
    this.ticks = new Ticks(this.bus, deps.clock);
    this.stats = new StatsService(
      () => this.targets().map((t) => ({ key: t.namespec, pid: t.entry.proc.pid })),
      { clock: deps.clock, source: deps.procSource ?? null, onUnavailable: logInfo(deps.log) },
    );
    const policyHost = {
      ...deps,
      stats: this.stats,
      processes: () => this.targets().map((t) => ({ namespec: t.namespec, proc: t.entry.proc })),
      active: () => this.state === 'RUNNING',
    };
    this.memory = new MemoryWatch(policyHost);
    this.cron = new CronRestarts(policyHost);
    this.sockets = new SocketTable(deps.clock, deps.socketOps);
    this.#factory = this.#makeFactory(config);
    // All or nothing: a port in use stops the start before any entry exists.
    this.sockets.ensure(config.groups.flatMap((g) => g.processes));
    for (const group of config.groups) this.addGroupConfig(group);
  }

  // Policies that follow processes (memory limits, cron schedules) look again after every change.
  #processesChanged(): void {
    this.#rebindFollowers();
    this.memory.sync();
    this.cron.sync();
  }

  get state(): SupervisorState {
    return this.#state;
  }

  get config(): Config {
    return this.#config;
  }

  /** Replaces the config that new groups and entries are built from (reload, reread). */
  setConfig(config: Config): void {
    this.#config = config;
    this.#factory = this.#makeFactory(config);
  }

  #makeFactory(config: Config): EntryFactory {
    const { autorestartRate: rate, autorestartBurst: burst } = config.supervisord;
    this.restartBudget.configure({ rate, burst });
    const baseEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.deps.env)) {
      if (value !== undefined && !DAEMON_ONLY_ENV.includes(key)) baseEnv[key] = value;
    }
    return {
      supervisord: config.supervisord,
      queue: this.queue,
      onHealth: (config, stream, event) => {
        this.#reportLogHealth(config, stream, event);
      },
      readiness: { hub: this.notifyHub, clock: this.deps.clock, runCommand, baseEnv },
      pool: (group) => this.pools.get(group),
      syslog: () => this.#syslog(),
      sockets: this.sockets,
      processDeps: {
        spawner: this.deps.spawner,
        clock: this.deps.clock,
        bus: this.bus,
        log: this.deps.log,
        baseEnv,
        autoServerUrl: serverUrl(config),
        cwd: this.deps.cwd,
        autoRestartAllowed: () => this.state === 'RUNNING',
        restartBudget: this.restartBudget,
      },
    };
  }

  #syslog(): SyslogSender {
    if (this.deps.syslog !== undefined) return this.deps.syslog;
    this.#ownSyslog ??= new SyslogSender({
      path: this.#config.supervisord.syslogSocket,
      report: (message) => {
        this.deps.log('warn', message);
      },
    });
    return this.#ownSyslog;
  }

  // The one place log health leaves the logs layer: the daemon log, process info and alerts read
  // it from the bus (the counts themselves stay with the channel's stats).
  #reportLogHealth(config: ProcessConfig, stream: StreamName, event: FileHealth): void {
    this.bus.emit({
      type: 'LOG_BYTES_DROPPED',
      group: config.group,
      name: config.name,
      channel: stream,
      path: event.path,
      phase: event.kind,
      recovered: event.kind === 'recovered',
      droppedBytes: event.kind === 'recovered' ? event.droppedBytes : 0,
      droppedLines: event.kind === 'recovered' ? event.droppedLines : 0,
      error: event.kind === 'recovered' ? null : event.error,
    });
  }

  // ---- following output ----------------------------------------------------------------------

  /**
   * Calls `listener` with every chunk the process named `namespec` writes to `stream`, for as long
   * as the caller stays subscribed. It follows the name, not one child or channel: when a reload,
   * an update or add/remove replaces the process, the subscription moves to its successor
   * (and waits, silent, while no process has that name).
   */
  followOutput(namespec: string, stream: StreamName, listener: ChunkListener): () => void {
    const follower: Follower = { namespec, stream, listener, channel: null, unsubscribe: () => undefined };
    this.#followers.add(follower);
    this.#rebind(follower);
    return () => {
      follower.unsubscribe();
      this.#followers.delete(follower);
    };
  }

  #rebind(f: Follower): void {
    let channel: LogChannel | null;
    try {
      channel = this.target(f.namespec).entry[f.stream];
    } catch {
      channel = null;
    }
    if (channel === f.channel) return;
    f.unsubscribe();
    f.channel = channel;
    f.unsubscribe = channel === null ? () => undefined : channel.subscribe(f.listener);
  }

  #rebindFollowers(): void {
    for (const f of this.#followers) this.#rebind(f);
  }

  // ---- groups --------------------------------------------------------------------------------

  addGroupConfig(config: GroupConfig): ActiveGroup {
    this.sockets.ensure(config.processes);
    const group = createGroup(this.#factory, config);
    this.#groups.set(config.name, group);
    this.#processesChanged();
    this.pools.open(config);
    this.bus.emit({ type: 'PROCESS_GROUP_ADDED', group: config.name });
    return group;
  }

  removeGroupEntries(name: string): void {
    const group = this.#groups.get(name);
    if (group === undefined) return;
    for (const entry of group.processes.values()) closeEntry(entry);
    this.#groups.delete(name);
    this.#processesChanged();
    this.pools.close(name);
    this.bus.emit({ type: 'PROCESS_GROUP_REMOVED', group: name });
  }

  /**
   * Rebuilds the group table from `groups`, taking each process's entry from `reuse` when it
   * returns one (a surviving process keeps its child and log files) and creating the others.
   * The caller has already closed the entries it does not hand back.
   */
  replaceGroups(
    groups: readonly GroupConfig[],
    reuse: (config: ProcessConfig) => ProcessEntry | undefined,
    { fresh = false }: { fresh?: boolean } = {},
  ): void {
    this.sockets.ensure(groups.flatMap((g) => g.processes));
    const before = fresh ? new Set<string>() : new Set(this.#groups.keys());
    if (fresh) this.pools.closeAll();
    this.#groups.clear();
    for (const config of groups) {
      const processes = new Map<string, ProcessEntry>();
      for (const p of config.processes) processes.set(p.name, reuse(p) ?? createEntry(this.#factory, p));
      this.#groups.set(config.name, { config, processes });
      this.pools.open(config);
      if (!before.has(config.name)) this.bus.emit({ type: 'PROCESS_GROUP_ADDED', group: config.name });
    }
    for (const name of before) {
      if (this.#groups.has(name)) continue;
      this.pools.close(name);
      this.bus.emit({ type: 'PROCESS_GROUP_REMOVED', group: name });
    }
    this.#processesChanged();
  }

  /** A new entry for `config`, not yet in the group table (a rolling restart puts it there). */
  createEntry(config: ProcessConfig): ProcessEntry {
    return createEntry(this.#factory, config);
  }

  /**
   * An entry that never joins the group table: a rolling restart's extra instance. Its events stay
   * off the bus, since no supervisord client or listener knows its name; the rollout's own events
   * and status report it, and the lifecycle's lines still go to the daemon log.
   */
  createLooseEntry(config: ProcessConfig): ProcessEntry {
    const bus = new EventBus({ now: () => this.deps.clock.now() });
    logEvents(bus, this.deps.log);
    const factory = this.#factory;
    return createEntry(
      { ...factory, processDeps: { ...factory.processDeps, bus } },
      this.#oneAutoLog(config),
    );
  }

  // An AUTO log is a fresh file per entry; an extra instance comes and goes at every rolling
  // restart, so its AUTO logs go to one file per name instead (appended to, removed at the next
  // start like every AUTO log).
  #oneAutoLog(config: ProcessConfig): ProcessConfig {
    const { childlogdir, identifier } = this.#config.supervisord;
    const fixed = (log: LogConfig, stream: StreamName): LogConfig =>
      log.target.kind !== 'auto'
        ? log
        : {
            ...log,
            target: {
              kind: 'file',
              path: path.join(childlogdir, `${config.name}-${stream}---${identifier}-surge.log`),
            },
          };
    return { ...config, stdout: fixed(config.stdout, 'stdout'), stderr: fixed(config.stderr, 'stderr') };
  }

  /** Puts `entry` in the place of the process of its name; the caller closes the one it replaces. */
  replaceEntry(entry: ProcessEntry): void {
    const { group, name } = entry.proc.config;
    const active = this.#groups.get(group);
    if (active?.processes.has(name) !== true)
      throw new TendError('BAD_NAME', `no such process: ${group}:${name}`);
    active.processes.set(name, entry);
    this.#processesChanged();
  }

  group(name: string): ActiveGroup | undefined {
    return this.#groups.get(name);
  }

  /** Groups by priority, then name (supervisord's start order). */
  groups(): ActiveGroup[] {
    return [...this.#groups.values()].sort(
      (a, b) => a.config.priority - b.config.priority || compare(a.config.name, b.config.name),
    );
  }

  /** Every process in start order: group priority, then process priority (stable). */
  targets(): Target[] {
    return this.groups().flatMap((group) => groupTargets(group));
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** One process by namespec; BAD_NAME when the group or the process does not exist. */
  target(namespec: string): Target {
    const { group: groupName, process } = splitNamespec(namespec);
    const group = this.#groups.get(groupName);
    const entry = process === null ? undefined : group?.processes.get(process);
    if (group === undefined || entry === undefined) {
      throw new TendError('BAD_NAME', `no such process: ${namespec}`, { faultDetail: namespec });
    }
    return { group, entry, namespec: makeNamespec(group.config.name, entry.proc.config.name) };
  }

  /** The processes a namespec addresses: one, or a whole group for `group:*` / `group:`. */
  resolve(namespec: string): { readonly targets: Target[]; readonly isGroup: boolean } {
    const { group: groupName, process } = splitNamespec(namespec);
    if (process !== null) return { targets: [this.target(namespec)], isGroup: false };
    const group = this.#groups.get(groupName);
    if (group === undefined)
      throw new TendError('BAD_NAME', `no such group: ${groupName}`, { faultDetail: groupName });
    return { targets: groupTargets(group), isGroup: true };
  }

  info(namespec: string): ProcessInfo {
    const { entry } = this.target(namespec);
    return processInfo(entry, this.deps.clock.now(), this.gate.waitingFor(entry.proc));
  }

  /** Sorted lexically by group, then process name, as getAllProcessInfo is. */
  allInfo(): ProcessInfo[] {
    const now = this.deps.clock.now();
    return this.#lexicalTargets().map(({ entry }) =>
      processInfo(entry, now, this.gate.waitingFor(entry.proc)),
    );
  }

  /** Every process sorted by group name, then process name (getAllProcessInfo's order). */
  #lexicalTargets(): Target[] {
    const groups = [...this.#groups.values()].sort((a, b) => compare(a.config.name, b.config.name));
    return groups.flatMap((g) =>
      groupTargets(g).sort((a, b) => compare(a.entry.proc.config.name, b.entry.proc.config.name)),
    );
  }

  /** tend's own fields of one process (readiness, health, dependencies). */
  tendInfo(namespec: string): TendProcessInfo {
    return tendInfo(this, this.target(namespec), this.targets());
  }

  /** tend's own fields of every process, in allInfo's order. */
  allTendInfo(): TendProcessInfo[] {
    const all = this.targets();
    return this.#lexicalTargets().map((target) => tendInfo(this, target, all));
  }

  /** Closes what outlives single processes (the notify socket directory, the pools, the ticks). */
  close(): void {
    this.memory.close();
    this.cron.close();
    this.stats.close();
    this.gate.clear();
    this.pools.closeAll();
    this.ticks.stop();
    this.notifyHub.close();
    this.#ownSyslog?.close();
    this.sockets.closeAll();
  }

  /** Counts by state, for the daemon's status line and its host's sd_notify STATUS=. */
  summary(): Partial<Record<ProcessState, number>> {
    const counts: Partial<Record<ProcessState, number>> = {};
    for (const { entry } of this.targets()) counts[entry.proc.state] = (counts[entry.proc.state] ?? 0) + 1;
    return counts;
  }

  /** Writes what the log channels have buffered and reopens every log file (SIGUSR2). */
  reopenLogs(): void {
    this.queue.flushAll();
    for (const { entry } of this.targets()) {
      entry.stdout.reopen();
      entry.stderr.reopen();
    }
  }

  /**
   * The one place the daemon's state changes: RUNNING publishes SUPERVISOR_STATE_CHANGE_RUNNING
   * (at start-up, and when a restart is over), SHUTDOWN and RESTARTING publish
   * SUPERVISOR_STATE_CHANGE_STOPPING, as supervisord's main loop does.
   */
  setState(to: SupervisorState): void {
    this.#state = to;
    const type = to === 'RUNNING' ? 'SUPERVISOR_STATE_CHANGE_RUNNING' : 'SUPERVISOR_STATE_CHANGE_STOPPING';
    this.bus.emit({ type, state: to });
  }

  /** Fails with SHUTDOWN_STATE once the daemon is stopping, as every supervisord RPC does. */
  assertRunning(): void {
    if (this.state !== 'RUNNING') throw new TendError('SHUTDOWN_STATE');
  }
}

const listenersOf = (group: ActiveGroup | undefined): ListenerLink[] =>
  group === undefined
    ? []
    : [...group.processes.values()].flatMap((e) => (e.listener === null ? [] : [e.listener]));

const logInfo =
  (log: LifecycleLog) =>
  (message: string): void => {
    log('info', message);
  };

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const groupTargets = (group: ActiveGroup): Target[] =>
  [...group.processes.values()].map((entry) => ({
    group,
    entry,
    namespec: makeNamespec(group.config.name, entry.proc.config.name),
  }));

export type { OperationResult };
