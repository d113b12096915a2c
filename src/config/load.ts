// loadConfig: the main file, its includes, then each section in the order supervisord reads
// them, into one frozen, fully defaulted Config.
import { hostname } from 'node:os';
import path from 'node:path';
import { checkDependencies } from './depends.js';
import { ConfigError } from './errors.js';
import { readMainFile } from './files.js';
import { freezeConfig } from './finish.js';
import { readIncludes } from './include.js';
import { createStore } from './ini.js';
import { readAlerts } from './sections/alerts.js';
import { readGroups } from './sections/groups.js';
import { checkRpcInterfaces } from './sections/plugins.js';
import { readServers } from './sections/servers.js';
import { readWebServer } from './sections/web.js';
import { readSupervisord } from './sections/supervisord.js';
import { readSupervisorctl } from './sections/supervisorctl.js';
import { warn, type LoadState } from './state.js';
import type { Config, LoadOptions, SupervisorctlConfig } from './types.js';
import { readUserDb } from './users.js';
import { checkSocketsAndRolling } from './rolling.js';

type Env = Readonly<Record<string, string | undefined>>;

/** ENV_X for every variable of the daemon's environment (options.py environ_expansions). */
export const envExpansions = (env: Env): Map<string, string> =>
  new Map(Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [[`ENV_${k}`, v] as const])));

/** The shared state of one load, before any file is read; `errors` makes it a checking load. */
export const initialState = (file: string, options: LoadOptions, errors?: ConfigError[]): LoadState => {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const uid = process.getuid?.() ?? -1;
  const main = path.resolve(cwd, file);
  return {
    store: createStore(),
    file: main,
    here: path.dirname(main),
    hostname: options.hostname ?? hostname(),
    paths: { cwd, env, users: readUserDb(), uid },
    envNames: envExpansions(env),
    warnings: [],
    isRoot: options.isRoot ?? uid === 0,
    errors,
  };
};

// supervisord never reads [supervisorctl], so a problem there must not stop the daemon.
const lenientSupervisorctl = (
  state: LoadState,
  envNames: ReadonlyMap<string, string>,
): SupervisorctlConfig | null => {
  try {
    return readSupervisorctl(state, envNames);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const { file, line } = error.location;
    warn(state, {
      file,
      line,
      section: 'supervisorctl',
      message: `ignored (only the client reads it): ${error.reason}`,
    });
    return null;
  }
};

const load = (state: LoadState): Config => {
  const mainFile = state.file;
  readMainFile(state.store, mainFile, state);
  const clientEnv = new Map(state.envNames);
  const included = readIncludes(state);
  const supervisord = readSupervisord(state, mainFile);
  checkRpcInterfaces(state);
  const groups = readGroups(state, supervisord.environment);
  checkDependencies(state, groups);
  checkSocketsAndRolling(state, groups);
  const servers = readServers(state);
  const alerts = readAlerts(state, groups);
  return freezeConfig(state, {
    file: mainFile,
    files: [mainFile, ...included],
    supervisord,
    unixHttpServer: servers.unix,
    inetHttpServer: servers.inet,
    webServer: readWebServer(state),
    supervisorctl: lenientSupervisorctl(state, clientEnv),
    groups,
    alerts,
    warnings: [],
  });
};

/**
 * Reads `file` (and its [include]s) the way supervisord 4.2.5 does and returns the frozen
 * Config. Throws ConfigError (file:line, section, key, value) for the first thing supervisord
 * rejects, TendError CONFIG_NOT_FOUND when the file cannot be read.
 */
export const loadConfig = (file: string, options: LoadOptions = {}): Config =>
  load(initialState(file, options));

export interface CheckedConfig {
  /** What could be read; its values stand in for the bad ones, so use it only when `errors` is empty. */
  readonly config: Config;
  /** Every error, once each, sorted by file (in the order read) and line. */
  readonly errors: readonly ConfigError[];
}

/**
 * Reads `file` as loadConfig does, but goes on after an error (a bad value counts as unwritten,
 * a section that cannot be read is left out) to report every error of the file set: `tend check`.
 */
export const checkConfig = (file: string, options: LoadOptions = {}): CheckedConfig => {
  const errors: ConfigError[] = [];
  const config = load(initialState(file, options, errors));
  const order = (f: string): number => {
    const at = config.files.indexOf(f);
    return at === -1 ? config.files.length : at;
  };
  const unique = [...new Map(errors.map((e) => [e.message, e])).values()];
  const sorted = unique.sort(
    (a, b) => order(a.location.file) - order(b.location.file) || a.location.line - b.location.line,
  );
  return { config, errors: sorted };
};
