import type { Clock, TimerHandle } from '../process/index.js';
import type { ProcessStats } from '../protocol/process-info.js';
import { figuresBetween, treeUsage, type Pass, type ProcSource, type TreeUsage } from '../stats/index.js';

// CPU and memory of every program's process tree, for `tend status`, describe, top, /metrics,
// the dashboard and memory limits. One pass reads the whole process table once for all programs.
// Passes run only while someone reads: a read leases the sampler for `leaseMs` (so a screen that
// refreshes keeps it warm), acquire() holds it until released (a memory-limit watcher); with no
// reader nothing runs. CPU% needs two passes: a read with no recent pass takes two, `windowMs` apart.

export interface StatsDeps {
  readonly clock: Clock;
  /** The process table; null where there is none (no /proc): every figure is then null. */
  readonly source: ProcSource | null;
  /** Between passes while leased or held (default 1000 ms). */
  readonly intervalMs?: number;
  /** Between the two passes of a cold read (default 300 ms). */
  readonly windowMs?: number;
  /** How long a read keeps the passes going (default 10 s). */
  readonly leaseMs?: number;
  /** Told once, at the first read, when figures cannot be measured. */
  readonly onUnavailable?: (reason: string) => void;
}

/** A running program: its namespec and the pid tend started. */
export interface StatsRoot {
  readonly key: string;
  readonly pid: number;
}

const UNAVAILABLE = 'CPU and memory figures need /proc, which this system does not have';

/** What the latest pass cost: one read of the process table and the tree sums. */
export interface PassCost {
  /** Epoch ms. */
  readonly at: number;
  /** Wall time of the pass, in ms. */
  readonly ms: number;
  /** Processes in the system's table. */
  readonly processes: number;
  /** Programs measured. */
  readonly programs: number;
}

export class StatsService {
  readonly #roots: () => Iterable<StatsRoot>;
  readonly #deps: StatsDeps;
  readonly #listeners = new Set<(figures: ReadonlyMap<string, ProcessStats>) => void>();
  #prev: Pass | null = null;
  #last: Pass | null = null;
  #figures: ReadonlyMap<string, ProcessStats> = new Map();
  #holders = 0;
  #leaseUntil = 0;
  #timer: TimerHandle | null = null;
  #cold: Promise<void> | null = null;
  #running: Promise<void> | null = null;
  #told = false;
  #cost: PassCost | null = null;

  constructor(roots: () => Iterable<StatsRoot>, deps: StatsDeps) {
    this.#roots = roots;
    this.#deps = deps;
  }

  /** Why there are no figures, or null when they are measured. */
  get unavailable(): string | null {
    return this.#deps.source === null ? UNAVAILABLE : null;
  }

  /** What the latest pass cost (null before the first): for /metrics and the bench. */
  get lastPass(): PassCost | null {
    return this.#cost;
  }

  /** The figures of the latest pass, by namespec; a program not running has none. */
  latest(): ReadonlyMap<string, ProcessStats> {
    return this.#figures;
  }

  /**
   * Figures no older than `maxAgeMs`: the latest pass's, or a new pass (two, `windowMs` apart,
   * when the last one is too old to compute CPU% against). Leases the sampler for `leaseMs`.
   */
  async read(maxAgeMs = 2000): Promise<ReadonlyMap<string, ProcessStats>> {
    const { clock, source } = this.#deps;
    if (source === null) {
      if (!this.#told) this.#deps.onUnavailable?.(UNAVAILABLE);
      this.#told = true;
      return this.#figures;
    }
    this.#leaseUntil = Math.max(this.#leaseUntil, clock.now() + (this.#deps.leaseMs ?? 10_000));
    this.#schedule();
    const age = this.#last === null ? Infinity : clock.now() - this.#last.at;
    if (age <= maxAgeMs) return this.#figures;
    if (age > 30_000) await (this.#cold ??= this.#coldPasses());
    else await this.#pass();
    return this.#figures;
  }

  /**
   * Figures from a pass no older than `maxAgeMs`, taking one pass if needed, without leasing the
   * sampler: a scraper that comes back every 15 s reads cumulative CPU seconds and memory, which
   * one pass gives, so nothing runs between its visits. CPU% is the latest pass's, as it was.
   */
  async sample(maxAgeMs = 1000): Promise<ReadonlyMap<string, ProcessStats>> {
    if (this.#deps.source === null) return this.read(maxAgeMs);
    const age = this.#last === null ? Infinity : this.#deps.clock.now() - this.#last.at;
    if (age > maxAgeMs) await this.#pass();
    return this.#figures;
  }

  /** Keeps passes running every `intervalMs` until the returned function is called. */
  acquire(): () => void {
    this.#holders += 1;
    this.#schedule();
    let held = true;
    return () => {
      if (held) this.#holders -= 1;
      held = false;
    };
  }

  /** Calls `listener` with the figures after every pass, until the returned function is called. */
  onPass(listener: (figures: ReadonlyMap<string, ProcessStats>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops the passes (the daemon is going away). */
  close(): void {
    this.#holders = 0;
    this.#leaseUntil = 0;
    this.#timer?.cancel();
    this.#timer = null;
  }

  async #coldPasses(): Promise<void> {
    await this.#pass();
    await new Promise<void>((resolve) => this.#deps.clock.setTimer(this.#deps.windowMs ?? 300, resolve));
    await this.#pass();
    this.#cold = null;
  }

  #wanted(): boolean {
    return this.#deps.source !== null && (this.#holders > 0 || this.#deps.clock.now() < this.#leaseUntil);
  }

  #schedule(): void {
    if (this.#timer !== null || !this.#wanted()) return;
    this.#timer = this.#deps.clock.setTimer(this.#deps.intervalMs ?? 1000, () => {
      this.#timer = null;
      if (!this.#wanted()) return;
      void this.#pass().then(() => {
        this.#schedule();
      });
    });
  }

  /** One pass at a time: a read during a pass gets that pass's figures. */
  #pass(): Promise<void> {
    this.#running ??= this.#onePass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #onePass(): Promise<void> {
    const source = this.#deps.source;
    if (source === null) return;
    const started = performance.now();
    const table = await source.table();
    const roots = [...this.#roots()].filter((r) => r.pid > 0);
    const trees = treeUsage(
      roots.map((r) => r.pid),
      table,
    );
    const usage = new Map<string, TreeUsage & { pid: number }>();
    for (const r of roots) {
      const tree = trees.get(r.pid);
      if (tree !== undefined) usage.set(r.key, { ...tree, pid: r.pid });
    }
    this.#prev = this.#last;
    this.#last = { at: this.#deps.clock.now(), usage };
    const figures = new Map<string, ProcessStats>();
    for (const key of usage.keys()) {
      const f = figuresBetween(this.#prev, this.#last, key, source);
      if (f !== null) figures.set(key, f);
    }
    this.#figures = figures;
    const ms = performance.now() - started;
    this.#cost = { at: this.#last.at, ms, processes: table.size, programs: roots.length };
    for (const listener of this.#listeners) listener(figures);
  }
}
