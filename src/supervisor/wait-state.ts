import { TendError } from '../errors/index.js';
import type { ProcessState } from '../process/index.js';
import type { ProcessInfo } from './results.js';
import type { Supervisor, Target } from './supervisor.js';

// `tend wait NAME --state S --timeout T`: resolves when every addressed process is in one of the
// wanted states, or fails with TIMEOUT naming those that are not. It watches state changes (no
// polling) and removes its watchers whichever way it ends.

const targetsOf = (sup: Supervisor, namespec: string): Target[] =>
  namespec === 'all' ? sup.targets() : sup.resolve(namespec).targets;

export const waitForState = (
  sup: Supervisor,
  namespec: string,
  states: ReadonlySet<ProcessState>,
  timeoutMs: number,
): Promise<ProcessInfo[]> => {
  const targets = targetsOf(sup, namespec);
  const pending = (): Target[] => targets.filter((t) => !states.has(t.entry.proc.state));
  const infos = (): ProcessInfo[] => targets.map((t) => sup.info(t.namespec));
  if (pending().length === 0) return Promise.resolve(infos());
  return new Promise((resolve, reject) => {
    const unwatch: (() => void)[] = [];
    const finish = (): void => {
      timer.cancel();
      for (const u of unwatch) u();
    };
    const check = (): void => {
      if (pending().length > 0) return;
      finish();
      resolve(infos());
    };
    const timer = sup.deps.clock.setTimer(timeoutMs, () => {
      finish();
      const late = pending().map((t) => `${t.namespec} is ${t.entry.proc.state}`);
      reject(
        new TendError('TIMEOUT', `timed out after ${timeoutMs / 1000}s: ${late.join(', ')}`, {
          hint: `wanted ${[...states].join(' or ')}`,
        }),
      );
    });
    for (const t of targets) unwatch.push(t.entry.proc.watch(check));
  });
};
