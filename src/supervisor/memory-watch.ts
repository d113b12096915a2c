import type { ProcessStats } from '../protocol/process-info.js';
import { policy, type LifecycleLog, type ManagedProcess } from '../process/index.js';
import type { StatsService } from './stats.js';

// memory_limit: the stats sampler's passes (at least one a second while any program has a limit)
// are judged by policy.judgeMemory; a RUNNING process whose tree stayed above its limit for
// memory_limit_checks passes in a row gets a policyRestart. The sampler reads the whole process
// table once per pass for every program, so the watcher adds no reads of its own.

/** What a runtime policy (memory limits, cron restarts) needs of the supervisor. */
export interface PolicyHost {
  readonly log: LifecycleLog;
  /** The current processes, by namespec. */
  readonly processes: () => Iterable<{ readonly namespec: string; readonly proc: ManagedProcess }>;
  /** Whether restarts may happen (the daemon is not stopping or reloading). */
  readonly active: () => boolean;
}

export interface MemoryHost extends PolicyHost {
  readonly stats: StatsService;
}

interface Count {
  readonly pid: number;
  readonly over: number;
}

export class MemoryWatch {
  readonly #host: MemoryHost;
  readonly #counts = new WeakMap<ManagedProcess, Count>();
  readonly #off: () => void;
  #release: (() => void) | null = null;
  #told = false;

  constructor(host: MemoryHost) {
    this.#host = host;
    this.#off = host.stats.onPass((figures) => {
      this.#judge(figures);
    });
  }

  /** Keeps the sampler running while any process has a limit (after the processes changed). */
  sync(): void {
    const wanted = [...this.#host.processes()].some(({ proc }) => proc.config.memoryLimit > 0);
    const unavailable = this.#host.stats.unavailable;
    if (wanted && unavailable !== null && !this.#told) {
      this.#told = true;
      this.#host.log('warn', `memory_limit has no effect: ${unavailable}`);
    }
    if (wanted && this.#release === null) this.#release = this.#host.stats.acquire();
    if (!wanted && this.#release !== null) {
      this.#release();
      this.#release = null;
    }
  }

  /** Samples in a row above the limit so far (0 when below, not running or without a limit). */
  overCount(proc: ManagedProcess): number {
    const count = this.#counts.get(proc);
    return count !== undefined && count.pid === proc.pid ? count.over : 0;
  }

  close(): void {
    this.#off();
    this.#release?.();
    this.#release = null;
  }

  #judge(figures: ReadonlyMap<string, ProcessStats>): void {
    if (!this.#host.active()) return;
    for (const { namespec, proc } of this.#host.processes()) {
      const { memoryLimit, memoryLimitChecks } = proc.config;
      const sample = figures.get(namespec);
      if (memoryLimit <= 0 || proc.state !== 'RUNNING' || sample === undefined) continue;
      const verdict = policy.judgeMemory(this.overCount(proc), sample.rssBytes, {
        bytes: memoryLimit,
        checks: memoryLimitChecks,
      });
      this.#counts.set(proc, { pid: proc.pid, over: verdict.over });
      if (verdict.restart === null) continue;
      try {
        proc.dispatch({ type: 'policyRestart', reason: verdict.restart, cause: 'memory' });
      } catch (error) {
        this.#host.log('critical', `lifecycle error for ${namespec}: ${String(error)}`);
      }
    }
  }
}
