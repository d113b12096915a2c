import type { ProcessConfig } from '../config/types.js';
import { TendError } from '../errors/index.js';
import type { Rollout, RolloutPlan, RolloutSlot, RolloutStatus } from './rollout.js';
import type { Supervisor, Target } from './supervisor.js';

// Rolling restarts as operations: `tend restart --rolling NAME`, the JSON API's restart of a
// program whose restart_strategy is rolling, and a reload that changed such a program
// (reload.ts). One rollout per program among the processes named.

/** The config a process is to run: its group's current one (after a reload), else its own. */
const desired = (sup: Supervisor, t: Target): ProcessConfig =>
  sup.group(t.group.config.name)?.config.processes.find((p) => p.name === t.entry.proc.config.name) ??
  t.entry.proc.config;

/** One plan per program, its processes in group order, each to come back as `nextOf` says. */
export const planRollouts = (
  targets: readonly Target[],
  cause: RolloutPlan['cause'],
  nextOf: (t: Target) => ProcessConfig,
): RolloutPlan[] => {
  const byProgram = new Map<string, { group: string; program: string; slots: RolloutSlot[] }>();
  for (const t of targets) {
    const next = nextOf(t);
    const key = `${t.group.config.name}:${next.program}`;
    const plan = byProgram.get(key) ?? { group: t.group.config.name, program: next.program, slots: [] };
    plan.slots.push({ name: t.entry.proc.config.name, next });
    byProgram.set(key, plan);
  }
  return [...byProgram.values()].map((p) => {
    const first = p.slots[0]?.next;
    const wanted = first?.rollingMaxSurge ?? 1;
    // One process alone cannot be replaced in place without a gap.
    const surge = p.slots.length === 1 && wanted === 0 ? 1 : wanted;
    return { ...p, cause, surge };
  });
};

/** Starts the rollouts; none starts when one of their programs is already rolling. */
export const beginRollouts = (sup: Supervisor, plans: readonly RolloutPlan[]): Rollout[] => {
  for (const plan of plans) {
    if (sup.rollouts.of(plan.group, plan.program) !== undefined) {
      const key = `${plan.group}:${plan.program}`;
      throw new TendError('ROLLOUT_IN_PROGRESS', `a rolling restart of ${key} is in progress`, {
        faultDetail: key,
      });
    }
  }
  return plans.map((plan) => sup.rollouts.begin(sup, plan));
};

/** Whether a restart of these processes rolls by their config (restart_strategy = rolling). */
export const rollsByConfig = (sup: Supervisor, targets: readonly Target[]): boolean =>
  targets.length > 0 && targets.every((t) => desired(sup, t).restartStrategy === 'rolling');

/**
 * Rolls the processes `targets` (a name already resolved); with `wait`, until every rollout has
 * ended. The statuses say how each went; the caller turns a failure into its answer.
 */
export const rollingRestart = async (
  sup: Supervisor,
  targets: readonly Target[],
  wait: boolean,
): Promise<RolloutStatus[]> => {
  sup.assertRunning();
  const other = targets.find((t) => t.entry.proc.config.kind !== 'program');
  if (other !== undefined) {
    throw new TendError('BAD_ARGUMENTS', `${other.namespec}: rolling restarts are for [program:x] only`, {
      faultDetail: other.namespec,
    });
  }
  const rollouts = beginRollouts(
    sup,
    planRollouts(targets, 'restart', (t) => desired(sup, t)),
  );
  if (wait) await Promise.all(rollouts.map((r) => r.finished));
  return rollouts.map((r) => r.status());
};

/** The error a failed or aborted rollout answers with (exit 7 for a failure), or null. */
export const rolloutError = (statuses: readonly RolloutStatus[]): TendError | null => {
  const bad = statuses.find((s) => s.state === 'failed' || s.state === 'aborted');
  if (bad === undefined) return null;
  const name = bad.group === bad.program ? bad.program : `${bad.group}:${bad.program}`;
  const code = bad.state === 'failed' ? 'ROLLOUT_FAILED' : 'ROLLOUT_ABORTED';
  return new TendError(code, `${name}: ${bad.error ?? bad.state} (${bad.done} of ${bad.total} replaced)`, {
    faultDetail: name,
  });
};
