import type { ProcessConfig } from '../config/types.js';
import type { Clock, LifecycleEvent, ManagedProcess, RunOptions, RunResult } from '../process/index.js';
import {
  HealthMonitor,
  pollUntilReady,
  type CommandRunner,
  type HealthSnapshot,
  type NotifyEndpoint,
  type NotifyHub,
  type NotifyUpdate,
  type ProbeContext,
  type ReadyPoll,
} from '../readiness/index.js';

// Wires one process to its readiness sources: the notify socket (ready = notify, watchdog_sec),
// the ready poller (ready = tcp/http/exec) while STARTING, and the health monitor while RUNNING.
// Sources only report; this turns reports into lifecycle events for the current child and keeps
// what they said for the status description and the JSON API.

export interface ReadinessDeps {
  readonly hub: NotifyHub;
  readonly clock: Clock;
  readonly runCommand: (argv: readonly string[], options: RunOptions) => Promise<RunResult>;
  /** The environment exec probes run with: the daemon's plus the program's `environment`. */
  readonly baseEnv: Readonly<Record<string, string>>;
}

/** What the child said over sd_notify, for the record. */
export interface NotifyRecord {
  status: string | null;
  reloading: boolean;
  stopping: boolean;
  mainpid: number | null;
  errno: number | null;
  /** Epoch ms of the last datagram. */
  lastMessage: number | null;
}

const usesNotify = (config: ProcessConfig): boolean =>
  config.ready.kind === 'notify' || config.watchdogSec > 0;

const emptyRecord = (): NotifyRecord => ({
  status: null,
  reloading: false,
  stopping: false,
  mainpid: null,
  errno: null,
  lastMessage: null,
});

export class EntryReadiness {
  readonly config: ProcessConfig;
  readonly endpoint: NotifyEndpoint | null;
  readonly notify: NotifyRecord = emptyRecord();
  readonly #deps: ReadinessDeps;
  #proc: ManagedProcess | null = null;
  #poll: ReadyPoll | null = null;
  readonly #health: HealthMonitor | null;

  constructor(config: ProcessConfig, deps: ReadinessDeps, namespec: string) {
    this.config = config;
    this.#deps = deps;
    this.endpoint = usesNotify(config)
      ? deps.hub.open(
          namespec,
          (update) => {
            this.#onNotify(update);
          },
          config.user === null || process.getuid?.() !== 0
            ? null
            : { uid: config.user.uid, gid: config.user.gid },
        )
      : null;
    const hc = config.healthcheck;
    this.#health =
      hc === null
        ? null
        : new HealthMonitor(
            hc,
            this.#probeContext(hc.timeoutSecs),
            deps.clock,
            (reason) => {
              this.#deliver({ type: 'unhealthy', reason, cause: 'health' });
            },
            (snapshot) => {
              this.#publishHealth(snapshot);
            },
          );
  }

  /** NOTIFY_SOCKET for the child, when it speaks sd_notify. */
  get extraEnv(): Record<string, string> {
    return this.endpoint === null ? {} : { NOTIFY_SOCKET: this.endpoint.path };
  }

  get health(): HealthSnapshot | null {
    return this.#health?.snapshot ?? null;
  }

  /** The last failed ready probe while STARTING, e.g. `ECONNREFUSED`. */
  get lastProbe(): string | null {
    return this.#poll?.last?.detail ?? null;
  }

  attach(proc: ManagedProcess): void {
    this.#proc = proc;
    proc.watch((p) => {
      this.#onState(p);
    });
  }

  /** A new child was spawned: forget what the last one said, start polling if ready is a probe. */
  onSpawn(): void {
    Object.assign(this.notify, emptyRecord());
    const ready = this.config.ready;
    if (ready.kind === 'startsecs' || ready.kind === 'notify') return;
    const generation = this.#proc?.generation ?? 0;
    this.#poll?.cancel();
    this.#poll = pollUntilReady(
      ready,
      this.#probeContext(this.config.probeTimeoutSecs),
      this.#deps.clock,
      () => {
        this.#deliver({ type: 'ready' }, generation);
      },
    );
  }

  close(): void {
    this.#poll?.cancel();
    this.#health?.stop();
    this.endpoint?.close();
  }

  #onState(p: ManagedProcess): void {
    if (p.state !== 'STARTING') this.#poll?.cancel();
    if (p.state === 'RUNNING') this.#health?.start();
    else this.#health?.stop();
  }

  #probeContext(timeoutSecs: number): ProbeContext {
    const { config } = this;
    const env = { ...this.#deps.baseEnv, ...config.environment };
    const user = config.user === null ? null : { uid: config.user.uid, gid: config.user.gid };
    const run: CommandRunner = (argv, { timeoutMs }) =>
      this.#deps.runCommand(argv, { timeoutMs, env, cwd: config.directory, user });
    return { timeoutMs: timeoutSecs * 1000, expect: config.httpExpect, run };
  }

  #publishHealth(snapshot: HealthSnapshot): void {
    const p = this.#proc;
    if (p === null || this.config.healthcheck === null) return;
    const unhealthy = snapshot.health === 'unhealthy';
    p.publish({
      type: unhealthy ? 'PROCESS_HEALTH_UNHEALTHY' : 'PROCESS_HEALTH_HEALTHY',
      pid: p.pid,
      check: this.config.healthcheck.probe.text,
      detail: unhealthy ? snapshot.lastError : null,
      failures: snapshot.failures,
    });
  }

  #deliver(event: LifecycleEvent, generation?: number): void {
    const p = this.#proc;
    if (p === null || p.pid === 0) return;
    p.deliver(generation ?? p.generation, event);
  }

  #onNotify(u: NotifyUpdate): void {
    const n = this.notify;
    n.lastMessage = this.#deps.clock.now();
    if (u.status !== null) n.status = u.status;
    if (u.mainpid !== null) n.mainpid = u.mainpid;
    if (u.errno !== null) n.errno = u.errno;
    if (u.reloading) n.reloading = true;
    if (u.stopping) n.stopping = true;
    if (u.ready) n.reloading = false;
    if (u.extendTimeoutUsec !== null)
      this.#deliver({ type: 'extendTimeout', ms: u.extendTimeoutUsec / 1000 });
    if (u.ready && this.config.ready.kind === 'notify') this.#deliver({ type: 'ready' });
    if (u.watchdog === 'trigger')
      this.#deliver({ type: 'unhealthy', reason: 'watchdog: WATCHDOG=trigger', cause: 'watchdog' });
    else if (u.watchdog === 'ping' || u.watchdogUsec !== null) {
      this.#deliver({ type: 'watchdogPing', ...(u.watchdogUsec === null ? {} : { usec: u.watchdogUsec }) });
    }
  }
}
