import { RUNNING_STATES } from '../../../protocol/states.js';
import {
  settle,
  startTarget,
  type OperationResult,
  type Supervisor,
  type Target,
} from '../../../supervisor/index.js';

// The order in which supervisord lists the results of a group or all-process start
// (rpcinterface.py make_allfunc), which supervisorctl prints as it gets them: first every outcome
// known as the start is made (a missing command, a start with wait=false, a process with
// startsecs=0, which supervisord moves to RUNNING at once), then those that had to wait for
// startsecs or an exit, each part in priority order. The exit code of `supervisorctl start all`
// is that of its last error line, so the order shows in scripts too.

export const startEach = async (
  sup: Supervisor,
  targets: readonly Target[],
  wait: boolean,
): Promise<OperationResult[]> => {
  const started = targets
    .filter((t) => !RUNNING_STATES.has(t.entry.proc.state))
    .map((t) => {
      const outcome = settle(t, startTarget(sup, t, wait));
      const p = t.entry.proc;
      return { outcome, immediate: !wait || p.state !== 'STARTING' || p.config.startsecs === 0 };
    });
  const results = await Promise.all(
    started.map(async (s) => ({ r: await s.outcome, immediate: s.immediate })),
  );
  return [...results.filter((x) => x.immediate), ...results.filter((x) => !x.immediate)].map((x) => x.r);
};
