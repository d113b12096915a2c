import type { GroupConfig } from '../config/types.js';
import type { EventBus } from '../events/index.js';
import type { LifecycleLog } from '../process/index.js';
import { ListenerPool, type PoolMember } from './listener-pool.js';

// The event-listener pools of one supervisor, by group name. A pool starts listening before its
// group is announced (so it receives its own PROCESS_GROUP_ADDED, as in supervisord) and stops
// before the group's removal is announced. A reload that leaves a pool's settings as they were
// keeps the pool and what it has buffered.

export interface PoolsDeps {
  readonly bus: EventBus;
  readonly log: LifecycleLog;
  readonly server: () => string;
  readonly members: (group: string) => Iterable<PoolMember>;
}

const sameSettings = (pool: ListenerPool, group: GroupConfig): boolean => {
  const next = group.processes[0]?.eventlistener;
  return (
    next !== null &&
    next !== undefined &&
    pool.config.bufferSize === next.bufferSize &&
    pool.config.events.join() === next.events.join()
  );
};

export class ListenerPools {
  readonly #pools = new Map<string, ListenerPool>();
  readonly #deps: PoolsDeps;

  constructor(deps: PoolsDeps) {
    this.#deps = deps;
  }

  get(group: string): ListenerPool | undefined {
    return this.#pools.get(group);
  }

  all(): ListenerPool[] {
    return [...this.#pools.values()];
  }

  /** Makes the pool of an [eventlistener:x] group listen (keeping one with the same settings). */
  open(group: GroupConfig): void {
    const existing = this.#pools.get(group.name);
    if (existing !== undefined && sameSettings(existing, group)) return;
    this.close(group.name);
    const config = group.processes[0]?.eventlistener;
    if (group.origin !== 'eventlistener' || config === null || config === undefined) return;
    const deps = this.#deps;
    this.#pools.set(
      group.name,
      new ListenerPool(group.name, config, {
        bus: deps.bus,
        log: deps.log,
        server: deps.server(),
        members: () => deps.members(group.name),
      }),
    );
  }

  close(group: string): void {
    this.#pools.get(group)?.close();
    this.#pools.delete(group);
  }

  closeAll(): void {
    for (const name of [...this.#pools.keys()]) this.close(name);
  }
}
