import { makeNamespec, type Supervisor } from '../supervisor/index.js';

// `[supervisord] exit_on = FATAL` and `[program:x] critical = true`: a program that gives up ends
// the daemon (exit code 4, after an orderly stop of everything), so that whoever runs the
// daemon, a container orchestrator, restarts it. Only while the daemon runs: a FATAL during a
// reload or a shutdown ends nothing.

export interface CriticalWatch {
  /** Resolves with what to log when a critical program has entered FATAL. */
  readonly fatal: Promise<string>;
  close(): void;
}

const isCritical = (sup: Supervisor, namespec: string): boolean => {
  try {
    return sup.target(namespec).entry.proc.config.critical;
  } catch {
    return false; // removed in the meantime
  }
};

export const watchCritical = (sup: Supervisor): CriticalWatch => {
  let close: () => void = () => undefined;
  const fatal = new Promise<string>((resolve) => {
    close = sup.bus.on('PROCESS_STATE_FATAL', (event) => {
      if (sup.state !== 'RUNNING') return;
      const namespec = makeNamespec(event.group, event.name);
      const critical = isCritical(sup, namespec);
      const exitOn = sup.config.supervisord.exitOn.includes('FATAL');
      if (!critical && !exitOn) return;
      const why = critical ? 'critical = true' : 'exit_on = FATAL';
      resolve(`${namespec} entered FATAL (${event.spawnerr || 'gave up'}); stopping everything (${why})`);
    });
  });
  return {
    fatal,
    close: () => {
      close();
    },
  };
};
