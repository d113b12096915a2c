import type { GroupDiff } from '../../supervisor/index.js';

// What one client connection is in the middle of. supervisorctl sends an `update` as
// reloadConfig followed by stopProcessGroup, removeProcessGroup and addProcessGroup for each
// changed group, all on one kept-alive connection. The session remembers which groups that
// reloadConfig found changed, so that those three calls on the same connection act on the
// changed members only; the same calls from another connection (a user's `stop g:*` after a
// `reread`) keep their plain meaning, and so do they on the same connection once the update has
// gone quiet: supervisorctl sends each step as soon as the previous one answers, whereas a script
// that keeps its connection open and stops a group minutes after a reloadConfig means the group.

/** How long after its last step an update is forgotten. */
export const UPDATE_IDLE_MS = 10_000;

interface PendingGroup {
  wereRunning: ReadonlySet<string>;
  /** Set once the group was swapped: the members addProcessGroup starts. */
  start: ReadonlySet<string> | null;
}

export class RpcSession {
  readonly #pending = new Map<string, PendingGroup>();
  readonly #now: () => number;
  #touched = 0;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** A reloadConfig on this connection: an update of these groups may follow. */
  begin(diff: GroupDiff): void {
    this.#pending.clear();
    this.#touched = this.#now();
    for (const name of [...diff.changed, ...diff.removed]) {
      this.#pending.set(name, { wereRunning: new Set(), start: null });
    }
  }

  updating(group: string): boolean {
    if (this.#now() - this.#touched > UPDATE_IDLE_MS) this.#pending.clear();
    return this.#pending.has(group);
  }

  stopped(group: string, wereRunning: ReadonlySet<string>): void {
    const pending = this.#pending.get(group);
    if (pending !== undefined) pending.wereRunning = wereRunning;
    this.#touched = this.#now();
  }

  wereRunning(group: string): ReadonlySet<string> {
    return this.#pending.get(group)?.wereRunning ?? new Set();
  }

  swapped(group: string, start: ReadonlySet<string>): void {
    const pending = this.#pending.get(group);
    if (pending !== undefined) pending.start = start;
    this.#touched = this.#now();
  }

  /** The members to start if this group was swapped on this connection; ends its update. */
  takeStart(group: string): ReadonlySet<string> | null {
    if (!this.updating(group)) return null;
    const start = this.#pending.get(group)?.start ?? null;
    if (start !== null) this.#pending.delete(group);
    return start;
  }
}
