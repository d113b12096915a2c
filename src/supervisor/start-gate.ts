import type { ManagedProcess } from '../process/index.js';
import { dependenciesOf, describeWait } from './dependencies.js';
import type { Supervisor, Target } from './supervisor.js';

// Starts that wait for depends_on. A start request for a process whose dependencies are not all
// RUNNING first starts those that are not started, then holds the request here; the process stays
// in its stopped state (STOPPED, EXITED or FATAL: nothing is spawned, so there is no pid) and its
// description says what it waits for. Every state change re-examines the waiting starts: all
// dependencies RUNNING spawns it; a dependency that ends up FATAL, or stopped with nothing bringing
// it back, fails it (FATAL, with the reason). Only requested starts wait: automatic restarts of a
// process that already ran do not.

const STARTABLE = new Set(['STOPPED', 'EXITED', 'FATAL']);

interface Waiting {
  readonly target: Target;
}

export class StartGate {
  readonly #sup: Supervisor;
  readonly #waiting = new Map<ManagedProcess, Waiting>();
  #examining = false;
  #again = false;

  constructor(sup: Supervisor) {
    this.#sup = sup;
    sup.bus.on('PROCESS_STATE', () => {
      this.#examine();
    });
  }

  isWaiting(p: ManagedProcess): boolean {
    return this.#waiting.has(p);
  }

  /** What a waiting process waits for, e.g. `db (STARTING), cache (BACKOFF)`; null if not waiting. */
  waitingFor(p: ManagedProcess): string | null {
    const waiting = this.#waiting.get(p);
    if (waiting === undefined) return null;
    const pending = this.#pending(waiting.target);
    return pending.map((d) => describeWait(d.entry.proc, d.namespec)).join(', ');
  }

  /** Starts `target` now, or once its dependencies are RUNNING (starting them if needed). */
  start(target: Target): void {
    const p = target.entry.proc;
    // Already waiting, or already started by an earlier request in the same pass (a reload that
    // restarts a dependency and its dependent starts the dependency for the dependent first).
    if (this.#waiting.has(p) || !STARTABLE.has(p.state)) return;
    const deps = this.#dependencies(target);
    for (const dep of deps) {
      const d = dep.entry.proc;
      if (STARTABLE.has(d.state) && !d.hasPendingTimer && !this.#waiting.has(d)) this.start(dep);
    }
    if (deps.every((d) => d.entry.proc.state === 'RUNNING')) {
      p.dispatch({ type: 'start' });
      return;
    }
    this.#waiting.set(p, { target });
    this.#sup.deps.log('info', `${target.namespec} waits for ${this.waitingFor(p) ?? ''}`, {
      program: target.namespec,
    });
  }

  // Most programs have no depends_on: they must not pay for a list of every target (a start all
  // of 1000 programs built a million of them).
  #dependencies(target: Target): Target[] {
    if (target.entry.proc.config.dependsOn.length === 0) return [];
    return dependenciesOf(this.#sup.targets(), target);
  }

  /** Drops a waiting start (a stop request); true if there was one. */
  cancel(p: ManagedProcess): boolean {
    return this.#waiting.delete(p);
  }

  /** Drops every waiting start (shutdown). */
  clear(): void {
    this.#waiting.clear();
  }

  #pending(target: Target): Target[] {
    return this.#dependencies(target).filter((d) => d.entry.proc.state !== 'RUNNING');
  }

  #failure(target: Target): string | null {
    for (const dep of this.#dependencies(target)) {
      const d = dep.entry.proc;
      if (d.state === 'FATAL') return `dependency ${dep.namespec} is FATAL: ${d.spawnerr}`;
      const idle = (STARTABLE.has(d.state) || d.state === 'UNKNOWN') && !d.hasPendingTimer;
      if (idle && !this.#waiting.has(d)) return `dependency ${dep.namespec} is ${d.state}`;
    }
    return null;
  }

  // Dispatching from here changes states, which calls #examine again: run one pass at a time and
  // repeat while something changed.
  #examine(): void {
    if (this.#examining) {
      this.#again = true;
      return;
    }
    this.#examining = true;
    this.#again = false;
    try {
      do this.#pass();
      while (this.#takeAgain());
    } finally {
      this.#examining = false;
    }
  }

  #takeAgain(): boolean {
    const again = this.#again;
    this.#again = false;
    return again;
  }

  #pass(): void {
    if (this.#sup.state !== 'RUNNING') {
      this.#waiting.clear();
      return;
    }
    for (const [p, { target }] of [...this.#waiting]) {
      if (!STARTABLE.has(p.state)) {
        this.#waiting.delete(p);
        continue;
      }
      const failure = this.#failure(target);
      if (failure !== null) {
        this.#waiting.delete(p);
        p.dispatch({ type: 'dependencyFailed', reason: failure });
      } else if (this.#pending(target).length === 0) {
        this.#waiting.delete(p);
        p.dispatch({ type: 'start' });
      }
    }
  }
}
