import type { LogConfig, ProcessConfig } from '../config/index.js';
import type { Target } from './mapping.js';
import type { Findings } from './report.js';

// Findings about logs that every target shares: the per-line features of supervisord's log
// capture (events, capture mode, syslog) exist nowhere else.

const channelFindings = (
  p: ProcessConfig,
  channel: 'stdout' | 'stderr',
  log: LogConfig,
  findings: Findings,
): void => {
  if (log.eventsEnabled) {
    findings.warn(
      p.program,
      `${channel}_events_enabled`,
      'PROCESS_LOG events have no equivalent: no event is sent',
    );
  }
  if (log.captureMaxbytes > 0) {
    findings.warn(
      p.program,
      `${channel}_capture_maxbytes`,
      'capture mode (PROCESS_COMMUNICATION) has no equivalent',
    );
  }
  if (log.syslog) {
    findings.note(
      p.program,
      `${channel}_syslog`,
      "the output goes to the target's log collector; forward that to syslog",
    );
  }
};

/** Where a program's output goes on `target`, said once per program; and what is lost. */
export const reportLogs = (p: ProcessConfig, target: Target, findings: Findings, where: string): void => {
  channelFindings(p, 'stdout', p.stdout, findings);
  if (!p.redirectStderr) channelFindings(p, 'stderr', p.stderr, findings);
  findings.note(p.program, null, `${target}: stdout and stderr go to ${where}`);
};

/** The file a channel names, or null for AUTO/NONE. */
export const logPath = (log: LogConfig): string | null =>
  log.target.kind === 'file' ? log.target.path : null;
