// What every section reader shares while one config is loaded.
import type { Names } from './expand.js';
import type { IniStore } from './ini.js';
import type { PathEnv } from './paths.js';
import { sectionRef, type Reader } from './reader.js';
import type { ConfigWarning } from './types.js';

export interface LoadState {
  readonly store: IniStore;
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
});

export const warn = (state: LoadState, w: Omit<ConfigWarning, 'key'> & { key?: string | null }): void => {
  state.warnings.push({ ...w, key: w.key ?? null });
};
