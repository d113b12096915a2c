import type { PolicyHost } from './memory-watch.js';
import { nextFirings } from '../config/index.js';
import type { Clock, ManagedProcess, TimerHandle } from '../process/index.js';

// cron_restart: one timer per process with a schedule, armed for its next firing (croner computes
// it from the clock's time, so a fake clock drives it in tests). At the firing a RUNNING process
// gets a policyRestart; one that is not running is left as it is. Either way the next firing is
// armed. Timers follow the process objects: a reload that replaces a process drops its schedule.

export interface CronHost extends PolicyHost {
  readonly clock: Clock;
}

interface Job {
  readonly due: number;
  readonly timer: TimerHandle;
}

const describeSchedule = (p: ManagedProcess): string => {
  const cron = p.config.cronRestart;
  if (cron === null) return '';
  return `cron_restart = ${cron.expression}${cron.timezone === null ? '' : ` (${cron.timezone})`}`;
};

export class CronRestarts {
  readonly #host: CronHost;
  readonly #jobs = new Map<ManagedProcess, Job>();

  constructor(host: CronHost) {
    this.#host = host;
  }

  /** Arms schedules for new processes and drops those of processes that are gone. */
  sync(): void {
    const live = new Set<ManagedProcess>();
    for (const { proc } of this.#host.processes()) {
      if (proc.config.cronRestart === null) continue;
      live.add(proc);
      if (!this.#jobs.has(proc)) this.#arm(proc, this.#host.clock.now());
    }
    for (const [proc, job] of this.#jobs) {
      if (live.has(proc)) continue;
      job.timer.cancel();
      this.#jobs.delete(proc);
    }
  }

  /** Epoch ms of the next firing, or null when the process has no schedule. */
  nextFor(proc: ManagedProcess): number | null {
    return this.#jobs.get(proc)?.due ?? null;
  }

  close(): void {
    for (const job of this.#jobs.values()) job.timer.cancel();
    this.#jobs.clear();
  }

  #arm(proc: ManagedProcess, after: number): void {
    const cron = proc.config.cronRestart;
    const due = cron === null ? undefined : nextFirings(cron, after, 1)[0];
    if (due === undefined) {
      this.#jobs.delete(proc);
      return;
    }
    const { clock } = this.#host;
    const timer = clock.setTimer(Math.max(0, due - clock.now()), () => {
      this.#fire(proc, due);
    });
    this.#jobs.set(proc, { due, timer });
  }

  #fire(proc: ManagedProcess, due: number): void {
    const { clock, log } = this.#host;
    // The wall clock can lag the timer (a clock step): wait for the time the schedule named.
    if (clock.now() < due) {
      const timer = clock.setTimer(due - clock.now(), () => {
        this.#fire(proc, due);
      });
      this.#jobs.set(proc, { due, timer });
      return;
    }
    this.#arm(proc, Math.max(due, clock.now()));
    const why = describeSchedule(proc);
    if (!this.#host.active() || proc.state !== 'RUNNING') {
      log('info', `${why}: ${proc.config.name} is ${proc.state}, not restarted`, { program: proc.namespec });
      return;
    }
    try {
      proc.dispatch({ type: 'policyRestart', reason: why, cause: 'cron' });
    } catch (error) {
      log('critical', `lifecycle error for ${proc.namespec}: ${String(error)}`);
    }
  }
}
