import type { LifecycleLog } from '../process/index.js';
import type { Supervisor } from '../supervisor/index.js';
import { realClock } from '../process/index.js';
import { AlertService } from './service.js';

/** Time the daemon gives its alerts to send what they hold when it stops. */
export const ALERT_DRAIN_MS = 5000;

// Where a message finds a program's last stderr lines: its stderr log, or its stdout log when
// stderr is redirected there. What the channel still buffers is written first.
const stderrFile = (sup: Supervisor, namespec: string): string | null => {
  try {
    const { entry } = sup.target(namespec);
    const channel = entry.proc.config.redirectStderr ? entry.stdout : entry.stderr;
    channel.flush();
    return channel.path;
  } catch {
    return null;
  }
};

/** The daemon's alerts, following the supervisor's config in force. */
export const superviseAlerts = (sup: Supervisor, log: LifecycleLog): AlertService =>
  new AlertService({
    bus: sup.bus,
    clock: realClock,
    log,
    alerts: () => sup.config.alerts,
    stderrFile: (namespec) => stderrFile(sup, namespec),
  });
