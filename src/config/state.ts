// What every section reader shares while one config is loaded.
import type { Names } from './expand.js';
import type { IniStore } from './ini.js';
import type { PathEnv } from './paths.js';
import { sectionRef, type Reader } from './reader.js';
import type { ErrorSink } from './sink.js';
import type { ConfigWarning } from './types.js';

export interface LoadState extends ErrorSink {
  readonly store: IniStore;
  /** The main config file, absolute. */
  readonly file: string;
  /** Absolute directory of the main file: `%(here)s` wherever a file's own is not substituted. */
  readonly here: string;
  readonly hostname: string;
  readonly paths: PathEnv;
  /**
   * supervisord's parser.expansions: ENV_X for the daemon's environment, extended by
   * [supervisord] environment once that has been read (so only later keys see those).
   */
  readonly envNames: Map<string, string>;
  readonly warnings: ConfigWarning[];
  readonly isRoot: boolean;
}

/** A reader for `section` whose expansions are the ENV_ names plus `extra`. */
export const readerFor = (state: LoadState, section: string, extra: Names = new Map()): Reader => ({
  store: state.store,
  section,
  at: sectionRef(state.store, section),
  names: new Map([...state.envNames, ...extra]),
  paths: state.paths,
  errors: state.errors,
});

/** A reader with supervisord's common expansions for most sections: `here` and the ENV_ names. */
export const readerWithHere = (state: LoadState, section: string): Reader =>
  readerFor(state, section, new Map([['here', state.here]]));

/** read_config's `expansions`: here, host_node_name and the ENV_ names known so far. */
export const fileExpansions = (state: LoadState): Names =>
  new Map([['here', state.here], ['host_node_name', state.hostname], ...state.envNames]);

/** Records a warning; supervisord's own warnings keep its text. */
export const warn = (state: LoadState, w: Omit<ConfigWarning, 'key'> & { key?: string | null }): void => {
  state.warnings.push({ ...w, key: w.key ?? null });
};

/** Section names that start with `prefix`, in file order (supervisord's `startswith` tests). */
export const sectionsWith = (state: LoadState, prefix: string): string[] =>
  [...state.store.sections.keys()].filter((s) => s.startsWith(prefix));
