import { TendError } from '../errors/index.js';
import { STOPPED_STATES, type ManagedProcess } from '../process/index.js';

// Operations that wait (start with wait=true, stop, restart, shutdown) await the process's own
// state changes. Nothing polls: supervisord's NOT_DONE_YET loop becomes a promise.

export type Verdict = 'pending' | 'done' | TendError;

export const waitFor = (proc: ManagedProcess, decide: (p: ManagedProcess) => Verdict): Promise<void> =>
  new Promise((resolve, reject) => {
    const settle = (p: ManagedProcess): boolean => {
      const verdict = decide(p);
      if (verdict === 'pending') return false;
      if (verdict === 'done') resolve();
      else reject(verdict);
      return true;
    };
    if (settle(proc)) return;
    const unwatch = proc.watch((p) => {
      if (settle(p)) unwatch();
    });
  });

/** startProcess(wait=true): RUNNING succeeds; a spawn error or any other way out fails. */
export const started =
  (namespec: string) =>
  (p: ManagedProcess): Verdict => {
    if (p.state === 'RUNNING') return 'done';
    if (p.spawnerr !== '' && (p.state === 'BACKOFF' || p.state === 'FATAL')) {
      return new TendError('SPAWN_ERROR', p.spawnerr, { faultDetail: namespec });
    }
    if (p.state === 'STARTING') return 'pending';
    // Not ready in time: the group is being stopped on the way to BACKOFF; that is a spawn error.
    if (p.state === 'STOPPING' && p.afterStop?.kind === 'failStart') {
      return new TendError('SPAWN_ERROR', p.afterStop.reason, { faultDetail: namespec });
    }
    return new TendError('ABNORMAL_TERMINATION', `${namespec} left STARTING for ${p.state}`, {
      faultDetail: namespec,
    });
  };

export const stopped = (p: ManagedProcess): Verdict => (STOPPED_STATES.has(p.state) ? 'done' : 'pending');
