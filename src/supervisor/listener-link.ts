import { ListenerProtocol, type ListenerState, type Note } from '../events/index.js';
import type { LifecycleLog, ManagedProcess } from '../process/index.js';
import type { ListenerPool, PoolEvent, PoolMember } from './listener-pool.js';

// One process of an [eventlistener:x] pool: its stdout goes through the listener protocol
// (events/listener-protocol.ts) before its log file, and what the protocol says becomes
// supervisord's log lines, a rebuffered event, or a pool that may dispatch again. tend restarts
// a listener that breaks the protocol (supervisord leaves it running in UNKNOWN, where it never
// gets an event again and its pool's buffer overflows), through the lifecycle's health restart,
// so backoff and the flap guard apply.

export interface LinkDeps {
  readonly log: LifecycleLog;
  /** The pool the process belongs to now (pools are replaced by reloads). */
  readonly pool: () => ListenerPool | undefined;
}

export class ListenerLink implements PoolMember {
  readonly #protocol = new ListenerProtocol<PoolEvent>();
  readonly #deps: LinkDeps;
  #proc: ManagedProcess | null = null;

  constructor(deps: LinkDeps) {
    this.#deps = deps;
  }

  get name(): string {
    return this.#proc?.config.name ?? '';
  }

  get state(): ListenerState {
    return this.#protocol.state;
  }

  get ready(): boolean {
    return this.#proc?.state === 'RUNNING' && this.#protocol.state === 'READY';
  }

  /** Binds the link to its process; a listener that becomes RUNNING may get events. */
  attach(proc: ManagedProcess): void {
    this.#proc = proc;
    proc.watch((p) => {
      if (p.state === 'RUNNING') this.#deps.pool()?.dispatchSoon();
    });
  }

  /** A new child: the protocol starts over (ACKNOWLEDGED). */
  spawned(): void {
    this.#protocol.reset();
  }

  /** The child is gone: the event it was working on goes back to its pool. */
  exited(): void {
    const item = this.#protocol.exited();
    if (item !== null) item.pool.rebuffer(item);
  }

  /** Bytes the listener wrote to stdout. */
  feed(data: Buffer): void {
    this.#handle(this.#protocol.feed(data));
  }

  send(item: PoolEvent, text: string): boolean {
    const stdin = this.#proc?.child?.stdin;
    if (stdin === null || stdin === undefined || stdin.destroyed || !stdin.writable) return false;
    stdin.write(text);
    this.#handle(this.#protocol.sent(item));
    return true;
  }

  #handle(notes: readonly Note<PoolEvent>[]): void {
    for (const note of notes) this.#note(note);
  }

  #note(note: Note<PoolEvent>): void {
    const { log } = this.#deps;
    const name = this.name;
    switch (note.kind) {
      case 'state':
        this.#changed(note.from, note.to);
        return;
      case 'processed':
        log('debug', `${name}: event was processed`);
        return;
      case 'badResult':
        log('warn', `${name}: bad result line: '${note.line}'`);
        return;
      case 'rejected':
        if (note.byResult) log('warn', `${name}: event was rejected`);
        note.event.pool.rebuffer(note.event);
        return;
    }
  }

  #changed(from: ListenerState, to: ListenerState): void {
    const name = this.name;
    this.#deps.log('debug', `${name}: ${from} -> ${to}`);
    if (to === 'READY') this.#deps.pool()?.dispatchSoon();
    if (to !== 'UNKNOWN') return;
    this.#deps.log(
      'warn',
      `${name}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`,
    );
    const p = this.#proc;
    if (p === null || p.pid === 0) return;
    const reason = `event listener protocol: ${from === 'BUSY' ? 'bad result' : `unexpected output while ${from}`}`;
    // Later, not inside the pipe read that brought the bad bytes.
    const generation = p.generation;
    queueMicrotask(() => {
      p.deliver(generation, { type: 'unhealthy', reason, cause: 'health' });
    });
  }
}
