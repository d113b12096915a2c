import type { LogConfig, ProcessConfig } from '../config/types.js';
import { signalNumber } from '../config/index.js';
import type { LogChannel } from '../logs/index.js';
import type { Supervisor } from './supervisor.js';

// getAllConfigInfo: one record per configured process (groups flattened), with supervisord's
// field names and its 'auto'/'none' strings for values XML-RPC cannot carry. `inuse` says whether
// the process's group is active. A logfile of an active process is the file it writes to.

const logfile = (log: LogConfig, channel: LogChannel | undefined): string => {
  if (log.target.kind === 'file') return log.target.path;
  if (log.target.kind === 'none') return 'none';
  return channel?.path ?? 'auto';
};

const info = (
  p: ProcessConfig,
  group: { name: string; priority: number; inuse: boolean },
  entry: { stdout: LogChannel; stderr: LogChannel } | undefined,
) => ({
  autostart: p.autostart,
  directory: p.directory ?? 'none',
  uid: p.user?.uid ?? 'none',
  command: p.command,
  exitcodes: p.exitcodes,
  group: group.name,
  group_prio: group.priority,
  inuse: group.inuse,
  killasgroup: p.killasgroup,
  name: p.name,
  process_prio: p.priority,
  redirect_stderr: p.redirectStderr,
  startretries: p.startretries,
  startsecs: p.startsecs,
  stdout_capture_maxbytes: p.stdout.captureMaxbytes,
  stdout_events_enabled: p.stdout.eventsEnabled,
  stdout_logfile: logfile(p.stdout, entry?.stdout),
  stdout_logfile_backups: p.stdout.backups,
  stdout_logfile_maxbytes: p.stdout.maxbytes,
  stdout_syslog: p.stdout.syslog,
  stopsignal: signalNumber(p.stopsignal) ?? 15,
  stopwaitsecs: p.stopwaitsecs,
  stderr_capture_maxbytes: p.stderr.captureMaxbytes,
  stderr_events_enabled: p.stderr.eventsEnabled,
  stderr_logfile: logfile(p.stderr, entry?.stderr),
  stderr_logfile_backups: p.stderr.backups,
  stderr_logfile_maxbytes: p.stderr.maxbytes,
  stderr_syslog: p.stderr.syslog,
  serverurl: p.serverurl ?? 'none',
});

export type ConfigInfo = ReturnType<typeof info>;

/** Every process of the available config, sorted by process name (a stable sort, as Python's). */
export const allConfigInfo = (sup: Supervisor): ConfigInfo[] => {
  sup.assertRunning();
  const records = sup.config.groups.flatMap((g) => {
    const active = sup.group(g.name);
    const group = { name: g.name, priority: g.priority, inuse: active !== undefined };
    return g.processes.map((p) => {
      return info(p, group, active?.processes.get(p.name));
    });
  });
  return records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
};
