// [supervisorctl] as supervisorctl reads it (options.py ClientOptions.read_config): only the
// daemon's own environment is visible to %(ENV_X)s here, and unix:// paths are normalized.
import { normalizePath } from '../paths.js';
import { expanded, need, read, type Reader } from '../reader.js';
import { SUPERVISORCTL_KEYS as C } from '../schema.js';
import type { LoadState } from '../state.js';
import { sectionRef } from '../reader.js';
import type { SupervisorctlConfig } from '../types.js';

/**
 * A reader over [supervisorctl] with the client's expansion names. It has no error sink: the
 * daemon never reads this section, so its errors only ever become a warning (load.ts).
 */
export const clientReader = (state: LoadState, envNames: ReadonlyMap<string, string>): Reader => ({
  store: state.store,
  section: 'supervisorctl',
  at: sectionRef(state.store, 'supervisorctl'),
  names: envNames,
  paths: state.paths,
});

const withHere = (r: Reader, here: string): ReadonlyMap<string, string | number> =>
  new Map([...r.names, ['here', here]]);

/** serverurl as written (null when unset), with a unix:// path made absolute. */
export const readServerUrl = (state: LoadState, r: Reader): string | null => {
  const url = expanded(r, 'serverurl', withHere(r, state.here))?.value ?? null;
  if (url === null || !url.startsWith('unix://')) return url;
  return `unix://${normalizePath(url.slice('unix://'.length), state.paths)}`;
};

/** [supervisorctl] for the client; null when the file has none (supervisorctl then refuses it). */
export const readSupervisorctl = (
  state: LoadState,
  envNames: ReadonlyMap<string, string>,
): SupervisorctlConfig | null => {
  if (!state.store.sections.has('supervisorctl')) return null;
  const r = clientReader(state, envNames);
  const serverurl = readServerUrl(state, r) ?? need(r, C.serverurl);
  const prompt = need(r, C.prompt);
  const username = read(r, C.username);
  const password = read(r, C.password);
  const history = expanded(r, 'history_file', withHere(r, state.here))?.value ?? '';
  return {
    serverurl,
    username,
    password,
    prompt,
    historyFile: history === '' ? null : normalizePath(history, state.paths),
  };
};
