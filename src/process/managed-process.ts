import type { RestartBudget } from './restart-budget.js';
import type { ProcessConfig } from '../config/types.js';
import type { EventBus, FlapGuardEvent, HealthEvent, ReadyEvent, RestartEvent } from '../events/index.js';
import { namespecOf } from '../protocol/names.js';
import { ACTIONS } from './actions.js';
import { resolveCommand, searchPath, type ResolvedCommand } from './command.js';
import { decodeExit } from './exit-status.js';
import { History } from './history.js';
import { isExpectedExit } from './policy.js';
import { sweepGroup } from './sweep.js';
import type { Clock, TimerHandle } from './clock.js';
import type { ProcessState } from './states.js';
import type { ChildExit, SpawnedChild, Spawner } from './spawner.js';
import { InvalidTransition, actionFor, type LifecycleEvent } from './transitions.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'critical';

/** The daemon log as the lifecycle sees it: supervisord's message text plus structured fields. */
export type LifecycleLog = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export interface ProcessDeps {
  readonly spawner: Spawner;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly log: LifecycleLog;
  /** Environment every child starts from: the daemon's own. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** SUPERVISOR_SERVER_URL for programs whose serverurl is AUTO (null: no server configured). */
  readonly autoServerUrl: string | null;
  /** The daemon's working directory: where relative commands resolve when `directory` is unset. */
  readonly cwd: string;
  /** False while the daemon is shutting down or reloading: no automatic restarts then. */
  readonly autoRestartAllowed: () => boolean;
  /**
   * Wires a new child's pipes (log capture); called right after a successful spawn. The request
   * asks for raw output (request.ts), so it must read, and so own, `stdoutFd` and `stderrFd`
   * where the spawner gave them (else nothing reads or closes those pipes).
   */
  readonly onSpawn: (proc: ManagedProcess, child: SpawnedChild) => void;
  /** Called when the child's exit is known, before the state changes: flush its output. */
  readonly onExit: (proc: ManagedProcess) => void;
  /** Variables tend manages for this process (NOTIFY_SOCKET); they win over `environment`. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** The daemon-wide budget of automatic restarts; none: restarts are never spaced. */
  readonly restartBudget?: RestartBudget;
  /** The listening socket passed as fd 3 (socket activation): the daemon's fd and LISTEN_FDNAMES. */
  readonly listenSocket?: { readonly fd: number; readonly name: string } | null;
}

/** tend's events about one process, as the lifecycle publishes them (without group and name). */
export type ProcessEventBody =
  | Omit<RestartEvent, 'group' | 'name'>
  | Omit<ReadyEvent, 'group' | 'name'>
  | Omit<FlapGuardEvent, 'group' | 'name'>
  | Omit<HealthEvent, 'group' | 'name'>;

/** Why a process is being stopped when it is not by request: what its exit leads to. */
export type AfterStop =
  /** A health, watchdog, memory or cron restart: EXITED, then restarted (restart.ts says when). */
  | {
      readonly kind: 'restart';
      readonly reason: string;
      readonly cause: 'health' | 'watchdog' | 'memory' | 'cron';
    }
  /** Not ready in time: a failed start (BACKOFF, retried per startretries). */
  | { readonly kind: 'failStart'; readonly reason: string };

export interface RestartRecord {
  readonly reason: string;
  /** Epoch ms. */
  readonly time: number;
}

// One supervised process. All state changes go through dispatch(), which looks the (state, event)
// pair up in TRANSITIONS and runs the named action from actions.ts. The fields below are the
// process's memory between events; actions read and write them, nothing else does.
export class ManagedProcess {
  readonly config: ProcessConfig;
  readonly deps: ProcessDeps;
  state: ProcessState = 'STOPPED';
  pid = 0;
  child: SpawnedChild | null = null;
  /** Epoch ms of the last spawn attempt (0 = never started) and of the last exit. */
  laststart = 0;
  laststop = 0;
  exitstatus: number | null = null;
  spawnerr = '';
  /** Consecutive failed starts (supervisord's backoff counter, `tries` in events). */
  backoff = 0;
  /** Bumped at every spawn; callbacks from an older child are ignored. */
  generation = 0;
  /** When RUNNING was last entered (epoch ms, for the wire; 0 = not since the last spawn). */
  runningSince = 0;
  /** The last spawn and the last entry into RUNNING on the monotonic clock: the durations the
   * lifecycle decides on (start failure, restart streak) never see a wall-clock step. */
  startedMono = 0;
  runningSinceMono = 0;
  /** Consecutive restarts out of EXITED (exponential backoff's exponent). */
  restartStreak = 0;
  /** Monotonic times of recent automatic restarts, for the flap guard (restart_limit / restart_window). */
  restartTimes: number[] = [];
  /** Set while STOPPING for a reason other than a stop request. */
  afterStop: AfterStop | null = null;
  /** Whether the stop in progress signals the whole process group with SIGKILL. */
  killAsGroup = false;
  /** Current watchdog interval (watchdog_sec, or WATCHDOG_USEC= from the child). */
  watchdogMs = 0;
  /** The last health or watchdog restart; cleared by a manual start. */
  lastRestart: RestartRecord | null = null;
  /** Recent state changes and exits, and the count of automatic restarts (`tend describe`). */
  readonly history = new History();
  #timer: TimerHandle | null = null;
  #timerEvent: LifecycleEvent | null = null;
  #timerDue = 0;
  /** Group sweeps in progress (see sweep.ts); shutdown waits for them. */
  readonly sweeps = new Set<Promise<void>>();
  readonly #watchers = new Set<(proc: ManagedProcess) => void>();
  #checked: ResolvedCommand | null = null;

  constructor(config: ProcessConfig, deps: ProcessDeps) {
    this.config = config;
    this.deps = deps;
  }

  get namespec(): string {
    return namespecOf(this.config);
  }

  dispatch(event: LifecycleEvent): void {
    const action = actionFor(this.state, event.type);
    if (action === undefined) throw new InvalidTransition(this.namespec, this.state, event.type);
    ACTIONS[action](this, event);
  }

  /** Changes state, cancels the state's timer and publishes the change. */
  enter(to: ProcessState, expected = true): void {
    const from = this.state;
    this.cancelTimer();
    this.state = to;
    this.history.recordState({ time: this.deps.clock.now(), from, to, pid: this.pid, note: this.spawnerr });
    this.deps.bus.emit({
      type: `PROCESS_STATE_${to}`,
      group: this.config.group,
      name: this.config.name,
      from,
      to,
      pid: this.pid,
      tries: this.backoff,
      expected,
      exitStatus: to === 'EXITED' || to === 'STOPPED' ? this.exitstatus : null,
      spawnerr: this.spawnerr,
    });
    for (const watcher of [...this.#watchers]) watcher(this);
  }

  /** Publishes one of tend's own events about this process (group and name filled in). */
  publish(body: ProcessEventBody): void {
    this.deps.bus.emit({ ...body, group: this.config.group, name: this.config.name });
  }

  /** Calls `watcher` after every state change of this process (used by operations that wait). */
  watch(watcher: (proc: ManagedProcess) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** Arms the single per-state timer; it delivers `event` unless the state changes first. */
  arm(ms: number, event: LifecycleEvent): void {
    this.cancelTimer();
    const generation = this.generation;
    const state = this.state;
    this.#timerEvent = event;
    this.#timerDue = this.deps.clock.monotonic() + ms;
    this.#timer = this.deps.clock.setTimer(ms, () => {
      this.#timer = null;
      this.#timerEvent = null;
      if (this.generation === generation && this.state === state) this.dispatch(event);
    });
  }

  /**
   * EXTEND_TIMEOUT_USEC semantics: the pending timer of one of `types` fires no earlier than `ms`
   * from now (never sooner than it would have).
   */
  extendTimer(ms: number, types: readonly LifecycleEvent['type'][]): void {
    const event = this.#timerEvent;
    if (event === null || !types.includes(event.type)) return;
    const now = this.deps.clock.monotonic();
    this.arm(Math.max(this.#timerDue, now + ms) - now, event);
  }

  cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = null;
    this.#timerEvent = null;
  }

  get hasPendingTimer(): boolean {
    return this.#timer !== null;
  }

  /** Delivers an event from the OS (exit, late spawn error) if it belongs to the current child. */
  deliver(generation: number, event: LifecycleEvent): void {
    if (generation !== this.generation) return;
    if (event.type === 'exit') {
      this.deps.onExit(this);
      this.#recordExit(event.exit);
    }
    try {
      this.dispatch(event);
    } catch (error) {
      this.deps.log('critical', `lifecycle error for ${this.namespec}: ${String(error)}`);
    }
  }

  #recordExit(exit: ChildExit): void {
    const { status, message } = decodeExit(exit);
    const time = this.deps.clock.now();
    const expected = exit.signal === null && isExpectedExit(status, this.config.exitcodes);
    const ranMs = this.deps.clock.monotonic() - this.startedMono;
    this.history.recordExit({ time, pid: this.pid, status, message, expected, ranMs });
  }

  /**
   * Checks that the command can be run, as supervisord's startProcess does before spawning, so a
   * missing binary is reported as NO_FILE / NOT_EXECUTABLE instead of a spawn error.
   */
  checkCommand(): void {
    const { config, deps } = this;
    this.#checked = resolveCommand(
      config.argv,
      searchPath(config.environment, deps.baseEnv.PATH),
      config.directory ?? deps.cwd,
    );
    // Good for the spawn that follows in the same turn (a start request), not for a later one.
    queueMicrotask(() => {
      this.#checked = null;
    });
  }

  /** The command checkCommand resolved in this turn, if any (spares a second stat and access). */
  takeCheckedCommand(): ResolvedCommand | null {
    const checked = this.#checked;
    this.#checked = null;
    return checked;
  }

  /** Sends a user-requested signal to the process itself (supervisord's signalProcess). */
  signal(signal: string): void {
    this.deps.spawner.kill(this.pid, signal, false);
  }

  /** Forgets the current child (after its exit or a failed spawn) and sweeps its group. */
  detachChild(): void {
    const pid = this.pid;
    this.child = null;
    this.pid = 0;
    if (pid !== 0) sweepGroup(this, pid);
  }
}
