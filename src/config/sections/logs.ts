// The stdout_*/stderr_* keys of one process (options.py, inside the numprocs loop): the logfile
// value is expanded twice, and syslog/AUTO/redirect_stderr produce supervisord's warnings.
import { convertAt, expandAt, expanded, need, raw, type Reader } from '../reader.js';
import { PROGRAM_KEYS as K } from '../schema.js';
import { warn, type LoadState } from '../state.js';
import type { LogConfig, LogTarget } from '../types.js';

type Channel = 'stdout' | 'stderr';

export interface ChannelStatic {
  readonly captureMaxbytes: number;
  readonly eventsEnabled: boolean;
}

/** The load and the section being read. */
export interface InSection {
  readonly state: LoadState;
  readonly r: Reader;
}

const warnAt = ({ state, r }: InSection, key: string, message: string): void => {
  const at = raw(r, key) ?? r.at;
  warn(state, { file: at.file, line: at.line, section: r.section, key, message });
};

const readTarget = (r: Reader, channel: Channel): LogTarget | 'syslog' => {
  const key = `${channel}_logfile` as const;
  const found = expanded(r, key);
  if (found === undefined) return { kind: 'auto' };
  const twice = expandAt(r, { key, located: found.written, label: key }, found.value);
  return convertAt(r, K[key], { located: found.written, value: twice });
};

/** One channel's LogConfig for the process being built (names already hold process_num). */
export const readChannel = (at: InSection, channel: Channel, fixed: ChannelStatic): LogConfig => {
  const { r } = at;
  const key = `${channel}_logfile` as const;
  let target = readTarget(r, channel);
  const backups = need(r, K[`${channel}_logfile_backups`]);
  const maxbytes = need(r, K[`${channel}_logfile_maxbytes`]);
  let syslog = need(r, K[`${channel}_syslog`]);
  if (target === 'syslog') {
    warnAt(
      at,
      key,
      `For [${r.section}], ${key}=syslog but this is deprecated and will be removed.  ` +
        `Use ${channel}_syslog=true to enable syslog instead.`,
    );
    target = { kind: 'none' };
    syslog = true;
  }
  if (target.kind === 'auto' && maxbytes === 0) {
    warnAt(
      at,
      key,
      `For [${r.section}], AUTO logging used for ${key} without rollover, ` +
        'set maxbytes > 0 to avoid filling up filesystem unintentionally',
    );
  }
  const maxage = need(r, K[`${channel}_logfile_maxage`]);
  return { target, maxbytes, backups, syslog, maxage, ...fixed };
};

/** redirect_stderr: stderr has no log of its own, and a path given for it is ignored. */
export const redirectedStderr = (at: InSection, stderr: LogConfig): LogConfig => {
  const { r } = at;
  if (stderr.target.kind === 'file') {
    warnAt(
      at,
      'stderr_logfile',
      `For [${r.section}], redirect_stderr=true but stderr_logfile has also been set to a filename, ` +
        'the filename has been ignored',
    );
  }
  return { ...stderr, target: { kind: 'none' } };
};
