import { TendError } from '../errors/index.js';
import { Rollout, type RolloutPlan, type RolloutStatus } from './rollout.js';
import type { Supervisor } from './supervisor.js';

// The daemon's rolling restarts: at most one per program at a time, and the last one of each
// program kept for `tend status` and GET /api/v1/rollouts.

const keyOf = (group: string, program: string): string => `${group}:${program}`;

export class Rollouts {
  #next = 1;
  readonly #latest = new Map<string, Rollout>();

  /** Starts a rollout; ROLLOUT_IN_PROGRESS when one of the same program still runs. */
  begin(sup: Supervisor, plan: RolloutPlan): Rollout {
    const key = keyOf(plan.group, plan.program);
    if (this.#latest.get(key)?.state === 'running') {
      throw new TendError('ROLLOUT_IN_PROGRESS', `a rolling restart of ${key} is in progress`, {
        faultDetail: key,
      });
    }
    const rollout = new Rollout(sup, this.#next++, plan);
    this.#latest.set(key, rollout);
    return rollout;
  }

  /** The running rollouts of a group (all its programs) or of one `group:program`. */
  running(name: string): Rollout[] {
    return [...this.#latest.entries()]
      .filter(([key, r]) => r.state === 'running' && (key === name || key.startsWith(`${name}:`)))
      .map(([, r]) => r);
  }

  /** The running rollout of a program, if any. */
  of(group: string, program: string): Rollout | undefined {
    const r = this.#latest.get(keyOf(group, program));
    return r?.state === 'running' ? r : undefined;
  }

  /** The last rollout of every program, running or ended, oldest first. */
  list(): RolloutStatus[] {
    return [...this.#latest.values()].sort((a, b) => a.id - b.id).map((r) => r.status());
  }

  /** Aborts every running rollout and waits until each has stopped its extra instances. */
  async abortAll(reason: string): Promise<void> {
    const running = [...this.#latest.values()].filter((r) => r.state === 'running');
    for (const r of running) r.abort(reason);
    await Promise.all(running.map((r) => r.finished));
  }
}
