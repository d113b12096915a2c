import type { ChildExit, SpawnRequest, SpawnedChild, Spawner } from '../../src/process/index.js';
import { SpawnFailure } from '../../src/process/index.js';

export class FakeChild implements SpawnedChild {
  readonly pid: number;
  readonly stdin = null;
  readonly stdout = null;
  readonly stderr = null;
  readonly request: SpawnRequest;
  #exitListeners: ((exit: ChildExit) => void)[] = [];
  #errorListeners: ((errno: string) => void)[] = [];
  exited = false;

  constructor(pid: number, request: SpawnRequest) {
    this.pid = pid;
    this.request = request;
  }

  onExit(listener: (exit: ChildExit) => void): void {
    this.#exitListeners.push(listener);
  }

  holdExit(): void {
    // Fake children have no pipes to drain.
  }

  onSpawnError(listener: (errno: string) => void): void {
    this.#errorListeners.push(listener);
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.exited = true;
    for (const l of this.#exitListeners) l({ code, signal });
  }

  /** The native spawner's exit of a child whose setup failed before execve. */
  failSetup(errno: string, step: string): void {
    this.exited = true;
    for (const l of this.#exitListeners) l({ code: 127, signal: null, spawnFailure: { errno, step } });
  }

  failLate(errno: string): void {
    for (const l of this.#errorListeners) l(errno);
  }
}

/** A child of a spawner that returns before the exec (the native one): the test says when it has. */
export class DeferredExecChild extends FakeChild {
  #settingUp = true;

  settingUp(): boolean {
    return this.#settingUp && !this.exited;
  }

  execed(): void {
    this.#settingUp = false;
  }
}

export interface SentSignal {
  readonly pid: number;
  readonly signal: string;
  readonly group: boolean;
}

// Records spawns and signals; the test decides when children exit or fail.
export class FakeSpawner implements Spawner {
  readonly children: FakeChild[] = [];
  readonly signals: SentSignal[] = [];
  #nextPid = 1000;
  #failures: (SpawnFailure | 'late')[] = [];
  killError: Error | undefined;
  /** Signals this set of names kill the child (on the next microtask), like a well-behaved program. */
  lethalSignals = new Set<string>();
  /** Children report their exec later (DeferredExecChild), as the native spawner's do. */
  deferExec = false;

  /** The next spawn throws this (fork refused), or returns pid 0 and fails late. */
  failNext(failure: SpawnFailure | 'late'): void {
    this.#failures.push(failure);
  }

  spawn(request: SpawnRequest): SpawnedChild {
    const failure = this.#failures.shift();
    if (failure instanceof SpawnFailure) throw failure;
    const pid = failure === 'late' ? 0 : this.#nextPid++;
    const child = this.deferExec ? new DeferredExecChild(pid, request) : new FakeChild(pid, request);
    this.children.push(child);
    return child;
  }

  kill(pid: number, signal: string, group: boolean): 'sent' | 'gone' {
    if (this.killError !== undefined) throw this.killError;
    this.signals.push({ pid, signal, group });
    const child = this.children.find((c) => c.pid === pid && !c.exited);
    if (child !== undefined && this.lethalSignals.has(signal)) {
      queueMicrotask(() => {
        child.exit(null, `SIG${signal}` as NodeJS.Signals);
      });
    }
    return 'sent';
  }

  probe(pid: number): boolean {
    return this.children.some((c) => c.pid === pid && !c.exited);
  }

  /** The last child, spawned with `deferExec`. */
  get lastDeferred(): DeferredExecChild {
    const child = this.last;
    if (!(child instanceof DeferredExecChild))
      throw new Error('the last child was not spawned with deferExec');
    return child;
  }

  get last(): FakeChild {
    const child = this.children.at(-1);
    if (child === undefined) throw new Error('nothing was spawned');
    return child;
  }
}
