// [supervisord] (options.py ServerOptions.read_config and realize): read in supervisord's order,
// because [supervisord] environment only becomes visible to %(ENV_X)s after it has been read.
import { ConfigError } from '../errors.js';
import { orSkip, report } from '../sink.js';
import { normalizePath, tempDir } from '../paths.js';
import { convertAt, expandAt, expanded, need, read, type Reader } from '../reader.js';
import { SUPERVISORD_KEYS as K } from '../schema.js';
import { fileExpansions, readerWithHere, type LoadState } from '../state.js';
import type { SupervisordConfig } from '../types.js';

const MISSING = '.ini file does not include supervisord section';

// supervisord expands [supervisord] environment twice: once as any value, then again with
// host_node_name added, so a literal % needs %%%% there.
const readEnvironment = (r: Reader, state: LoadState): Record<string, string> => {
  const found = expanded(r, 'environment');
  if (found === undefined) return {};
  const names = fileExpansions(state);
  const value = expandAt(
    r,
    { key: 'environment', located: found.written, label: 'environment', names },
    found.value,
  );
  // environment has no default to fall back on; a checking load reads the file on without it
  // instead of abandoning [supervisord] itself, which nothing could catch.
  return orSkip(
    state,
    () => convertAt(r, K.environment, { located: found.written, value }),
    () => ({}),
  );
};

// syslog goes to the syslog socket instead of a file (logfileSyslog); NONE/OFF are treated like
// the child logs treat them, where supervisord would create a file literally named NONE.
const mainLogfile = (value: string, state: LoadState): string | null => {
  if (value === 'syslog' || ['none', 'off'].includes(value.toLowerCase())) return null;
  return normalizePath(value, state.paths);
};

const readOptions = (r: Reader, state: LoadState) => ({
  minfds: need(r, K.minfds),
  minprocs: need(r, K.minprocs),
  directory: read(r, K.directory),
  user: read(r, K.user),
  umask: need(r, K.umask),
  logfile: need(r, K.logfile),
  logfileMaxbytes: need(r, K.logfile_maxbytes),
  logfileBackups: need(r, K.logfile_backups),
  loglevel: need(r, K.loglevel),
  pidfile: need(r, K.pidfile),
  identifier: need(r, K.identifier),
  nodaemon: need(r, K.nodaemon),
  silent: need(r, K.silent),
  childlogdir: need(r, { ...K.childlogdir, default: tempDir(state.paths.env) }),
  nocleanup: need(r, K.nocleanup),
  stripAnsi: need(r, K.strip_ansi),
  exitOn: need(r, K.exit_on),
  autorestartRate: need(r, K.autorestart_rate),
  autorestartBurst: need(r, K.autorestart_burst),
  syslogSocket: need(r, K.syslog_socket),
});

/** Reads [supervisord] and adds its environment to the ENV_ expansions of what follows. */
export const readSupervisord = (state: LoadState, file: string): SupervisordConfig => {
  // A checking load goes on with the defaults, to find the file's other errors.
  if (!state.store.sections.has('supervisord')) report(state, new ConfigError({ file, line: 1 }, MISSING));
  const r = readerWithHere(state, 'supervisord');
  const options = readOptions(r, state);
  const environment = readEnvironment(r, state);
  for (const [k, v] of Object.entries(environment)) state.envNames.set(`ENV_${k}`, v);
  return {
    ...options,
    logfile: mainLogfile(options.logfile, state),
    logfileSyslog: options.logfile === 'syslog',
    pidfile: normalizePath(options.pidfile, state.paths),
    environment,
    source: r.at,
  };
};
