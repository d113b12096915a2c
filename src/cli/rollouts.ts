import type { Client } from './client.js';
import type { Output } from './output.js';
import { ExitStatus, failureLine, perName } from './results.js';

// Rolling restarts from the CLI (`tend restart --rolling`, and `tend restart` of a program whose
// restart_strategy is rolling): one line per program, exit status from the catalogue
// (ROLLOUT_FAILED: 7, like a spawn error).

export interface RolloutBody {
  readonly rollout: number;
  readonly group: string;
  readonly program: string;
  readonly cause: string;
  readonly state: 'running' | 'succeeded' | 'failed' | 'aborted';
  readonly done: number;
  readonly total: number;
  readonly step: string;
  readonly error: string | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly surge: readonly { readonly name: string; readonly pid: number; readonly state: string }[];
}

interface RolloutAnswer {
  readonly rolling: boolean;
  readonly rollouts: readonly RolloutBody[];
}

const nameOf = (r: RolloutBody): string => (r.group === r.program ? r.program : `${r.group}:${r.program}`);

/** One line for a rollout: `web: rolled (4 of 4 replaced)`, or where it is. */
export const rolloutLine = (r: RolloutBody): string =>
  r.state === 'succeeded'
    ? `${nameOf(r)}: rolled (${r.done} of ${r.total} replaced)`
    : `${nameOf(r)}: rollout ${r.rollout} ${r.state} (${r.done}/${r.total}): ${r.error ?? r.step}`;

/**
 * Rolls NAME; with `configured`, only if its restart_strategy is rolling. Returns false when it
 * did not roll (the caller then stops and starts it).
 */
export const rollName = async (
  client: Client,
  name: string,
  ctx: { io: Output; exit: ExitStatus; configured: boolean },
): Promise<boolean> => {
  try {
    const query = ctx.configured ? '?configured=true' : '';
    const answer = await client.call<RolloutAnswer>(
      'POST',
      `/api/v1/processes/${encodeURIComponent(name)}/rollout${query}`,
    );
    if (!answer.rolling) return false;
    for (const r of answer.rollouts) ctx.io.out(rolloutLine(r));
    return true;
  } catch (error) {
    if (!perName(error)) throw error;
    failureLine(name, error.code, error.message, ctx.io);
    ctx.exit.fail(error.code);
    return true;
  }
};
