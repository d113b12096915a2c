import type { ProcessState } from './states.js';

// The `description` field of getProcessInfo, which `supervisorctl status` prints as-is
// (rpcinterface.py _interpretProcessInfo). Times are whole epoch seconds, as on the wire.

export interface DescriptionInput {
  readonly state: ProcessState;
  readonly pid: number;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly spawnerr: string;
  readonly name: string;
}

/** Python's str(timedelta(seconds=n)): `0:01:02`, `1 day, 1:02:03`, `3 days, 0:00:05`. */
export const formatUptime = (seconds: number): string => {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const hms = `${Math.floor(rest / 3600)}:${pad2(Math.floor((rest % 3600) / 60))}:${pad2(rest % 60)}`;
  if (days === 0) return hms;
  return `${days} day${days === 1 ? '' : 's'}, ${hms}`;
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') in local time, e.g. `Nov 21 09:22 AM`. */
export const formatStopTime = (epochSeconds: number): string => {
  const d = new Date(epochSeconds * 1000);
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const ampm = d.getHours() < 12 ? 'AM' : 'PM';
  return `${MONTHS[d.getMonth()] ?? ''} ${pad2(d.getDate())} ${pad2(hour12)}:${pad2(d.getMinutes())} ${ampm}`;
};

export const describe = (info: DescriptionInput): string => {
  switch (info.state) {
    case 'RUNNING':
      return `pid ${info.pid}, uptime ${formatUptime(info.now - info.start)}`;
    case 'BACKOFF':
    case 'FATAL':
      return info.spawnerr === '' ? `unknown error (try "tail ${info.name}")` : info.spawnerr;
    case 'STOPPED':
    case 'EXITED':
      return info.start === 0 ? 'Not started' : formatStopTime(info.stop);
    case 'STARTING':
    case 'STOPPING':
    case 'UNKNOWN':
      return '';
  }
};
