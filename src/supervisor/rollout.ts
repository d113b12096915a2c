import type { ProcessConfig } from '../config/types.js';
import { TendError, toTendError } from '../errors/index.js';
import type { RolloutEvent } from '../events/index.js';
import { STOPPED_STATES, type ManagedProcess } from '../process/index.js';
import { closeEntry, type ProcessEntry } from './entries.js';
import type { Supervisor } from './supervisor.js';
import { started, waitFor } from './wait.js';

// One rolling restart of one program (docs/zero-downtime.md). With a surge (rolling_max_surge ≥ 1)
// each old instance is replaced in a double step that never leaves fewer ready instances than
// before: an extra instance of the new config starts beside it (sharing the socket) and must
// become ready; then the old instance stops and comes back with the new config, and once that is
// ready the extra one stops. Up to `surge` instances are replaced at once. Without a surge
// (numprocs > 1 only) one instance at a time is stopped and started while the others serve.
// The first new instance that does not get ready ends the rollout as failed: an extra instance is
// stopped, and the instances not yet replaced keep running as they were.

export type RolloutState = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface RolloutSlot {
  /** The process to replace (its name in the group). */
  readonly name: string;
  /** The config it comes back with (the reloaded one, or its own for a restart). */
  readonly next: ProcessConfig;
}

export interface RolloutPlan {
  readonly group: string;
  readonly program: string;
  readonly cause: RolloutEvent['cause'];
  readonly slots: readonly RolloutSlot[];
  /** Extra instances allowed at once (0: replace in place, one at a time). */
  readonly surge: number;
}

export interface SurgeInfo {
  readonly name: string;
  readonly pid: number;
  readonly state: string;
}

/** What `tend status` and GET /api/v1/rollouts show. */
export interface RolloutStatus {
  readonly rollout: number;
  readonly group: string;
  readonly program: string;
  readonly cause: RolloutEvent['cause'];
  readonly state: RolloutState;
  readonly done: number;
  readonly total: number;
  /** What it is doing, or what it did last. */
  readonly step: string;
  /** Why it failed or was aborted. */
  readonly error: string | null;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** The extra instances running now. */
  readonly surge: readonly SurgeInfo[];
}

class Aborted extends Error {}

export class Rollout {
  readonly id: number;
  readonly plan: RolloutPlan;
  readonly #sup: Supervisor;
  state: RolloutState = 'running';
  done = 0;
  step = 'starting';
  error: string | null = null;
  readonly startedAt: number;
  endedAt: number | null = null;
  readonly #surge = new Set<ProcessEntry>();
  readonly #abort = new AbortController();
  readonly finished: Promise<void>;

  constructor(sup: Supervisor, id: number, plan: RolloutPlan) {
    this.#sup = sup;
    this.id = id;
    this.plan = plan;
    this.startedAt = sup.deps.clock.now();
    this.finished = this.#run();
  }

  status(): RolloutStatus {
    return {
      rollout: this.id,
      group: this.plan.group,
      program: this.plan.program,
      cause: this.plan.cause,
      state: this.state,
      done: this.done,
      total: this.plan.slots.length,
      step: this.step,
      error: this.error,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      surge: [...this.#surge].map((e) => ({
        name: e.proc.config.name,
        pid: e.proc.pid,
        state: e.proc.state,
      })),
    };
  }

  /**
   * Stops the rollout where it is: an extra instance still starting is stopped; an instance
   * already being replaced is brought back first (with the new config), then its extra one stops.
   */
  abort(reason: string): void {
    if (this.state === 'running') this.#abort.abort(new Aborted(reason));
  }

  #emit(type: RolloutEvent['type'], detail: string): void {
    const { group, program, cause, slots } = this.plan;
    this.#sup.bus.emit({
      type,
      group,
      program,
      rollout: this.id,
      cause,
      done: this.done,
      total: slots.length,
      detail,
    });
  }

  get #name(): string {
    const { group, program } = this.plan;
    return group === program ? program : `${group}:${program}`;
  }

  #note(detail: string): void {
    this.step = detail;
    this.#emit('ROLLOUT_STEP', detail);
    this.#sup.deps.log('info', `rollout ${this.id} of ${this.#name}: ${detail}`);
  }

  async #run(): Promise<void> {
    const { slots, surge } = this.plan;
    this.#emit('ROLLOUT_STARTED', `${slots.length} instance(s), surge ${surge}`);
    try {
      const batch = Math.max(1, surge);
      for (let i = 0; i < slots.length; i += batch) {
        // Every replacement of a batch ends (each is bounded) before the rollout does.
        const outcomes = await Promise.allSettled(
          slots.slice(i, i + batch).map((slot, k) => this.#replace(slot, k)),
        );
        const failed = outcomes.find((o) => o.status === 'rejected');
        if (failed !== undefined) throw failed.reason;
      }
      this.#end('succeeded', null);
    } catch (error) {
      const aborted = this.#abort.signal.aborted;
      this.#end(
        aborted ? 'aborted' : 'failed',
        aborted ? (this.#abort.signal.reason as Error).message : toTendError(error).message,
      );
    } finally {
      await Promise.all([...this.#surge].map((e) => this.#retire(e)));
    }
  }

  #end(state: RolloutState, error: string | null): void {
    this.state = state;
    this.error = error;
    this.endedAt = this.#sup.deps.clock.now();
    this.step = error ?? `${this.done} of ${this.plan.slots.length} replaced`;
    const type =
      state === 'succeeded'
        ? 'ROLLOUT_SUCCEEDED'
        : state === 'aborted'
          ? 'ROLLOUT_ABORTED'
          : 'ROLLOUT_FAILED';
    this.#emit(type, this.step);
    const level = state === 'succeeded' ? 'info' : 'warn';
    this.#sup.deps.log(level, `rollout ${this.id} of ${this.#name} ${state}: ${this.step}`);
  }

  // Rejects when the rollout is aborted, whatever it waits for.
  #guard<T>(work: Promise<T>): Promise<T> {
    const signal = this.#abort.signal;
    if (signal.aborted) return Promise.reject(new Aborted('aborted'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(new Aborted('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * Starts a process and waits until it is ready. An extra instance that fails is stopped (it is
   * the rollout's own); a replaced instance that fails is left to its lifecycle, which retries
   * it per startretries like any failed start. An abort ends the wait for an extra instance only.
   */
  async #startReady(entry: ProcessEntry, label: string, extra: boolean): Promise<void> {
    const p = entry.proc;
    try {
      p.checkCommand();
      p.dispatch({ type: 'start' });
      const ready = waitFor(p, started(label));
      await (extra ? this.#guard(ready) : ready);
    } catch (error) {
      if (extra) await stopProc(p);
      if (error instanceof Aborted) throw error;
      throw new TendError('ROLLOUT_FAILED', `${label} did not get ready: ${toTendError(error).message}`);
    }
  }

  // An abort takes effect here, where nothing is half done: before an old instance is stopped.
  #checkpoint(): void {
    if (this.#abort.signal.aborted) throw new Aborted('aborted');
  }

  async #replace(slot: RolloutSlot, k: number): Promise<void> {
    this.#checkpoint();
    const current = this.#sup.target(`${this.plan.group}:${slot.name}`).entry;
    const wasUp = !STOPPED_STATES.has(current.proc.state);
    let extra: ProcessEntry | null = null;
    if (this.plan.surge > 0 && wasUp) {
      extra = this.#sup.createLooseEntry(surgeConfig(slot.next, k));
      this.#surge.add(extra);
      const label = extra.proc.config.name;
      this.#note(`starting ${label} beside ${slot.name}`);
      await this.#startReady(extra, label, true);
      this.#checkpoint();
      this.#note(
        `${label} is ready (pid ${extra.proc.pid}); stopping ${slot.name} (pid ${current.proc.pid})`,
      );
    } else {
      this.#note(`stopping ${slot.name}${wasUp ? ` (pid ${current.proc.pid})` : ''}`);
    }
    // From here the instance is brought back whatever happens (an abort waits for it).
    await stopProc(current.proc);
    const entry = this.#swap(current, slot.next);
    this.#note(`starting ${slot.name} with the new config`);
    await this.#startReady(entry, slot.name, false);
    this.done += 1;
    this.#note(`${slot.name} is ready (pid ${entry.proc.pid})`);
    if (extra !== null) await this.#retire(extra);
  }

  // The replaced process comes back as a new entry when its config changed (a reload); a restart
  // keeps its entry, and so its log files and history.
  #swap(current: ProcessEntry, next: ProcessConfig): ProcessEntry {
    if (current.proc.config === next) return current;
    const entry = this.#sup.createEntry(next);
    this.#sup.replaceEntry(entry);
    closeEntry(current);
    return entry;
  }

  async #retire(extra: ProcessEntry): Promise<void> {
    if (!this.#surge.delete(extra)) return;
    await stopProc(extra.proc);
    closeEntry(extra);
  }
}

// Until it is down for good: a start that failed (not ready in time) goes through STOPPING to
// BACKOFF and would be retried, so it is stopped again from there.
const stopProc = async (p: ManagedProcess): Promise<void> => {
  while (!(STOPPED_STATES.has(p.state) && !p.hasPendingTimer)) {
    if (p.state !== 'STOPPING') p.dispatch({ type: 'stop' });
    await waitFor(p, (q) => (q.state === 'STOPPING' ? 'pending' : 'done'));
  }
};

// The k-th extra instance: from the program's surge configs when it has them (restart_strategy =
// rolling), else the slot's own config under another name (tend restart --rolling of a
// stop-start program: the same process_num, so a per-instance port would collide).
const surgeConfig = (next: ProcessConfig, k: number): ProcessConfig =>
  next.surge[k] ?? { ...next, name: `${next.program}-surge${k === 0 ? '' : String(k + 1)}`, surge: [] };
