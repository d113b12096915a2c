// What a client needs to reach the daemon. Like supervisorctl it reads only the sections it
// needs, so a config whose programs have bad values still works; INI syntax errors still throw.
import { inetAddress } from './datatypes.js';
import { readMainFile } from './files.js';
import { readIncludes } from './include.js';
import { initialState } from './load.js';
import { normalizePath } from './paths.js';
import { pyStrip } from './pystr.js';
import { expanded, read } from './reader.js';
import { SUPERVISORCTL_KEYS as C } from './schema.js';
import { clientReader, readServerUrl } from './sections/supervisorctl.js';
import { readerFor, readerWithHere, sectionsWith, type LoadState } from './state.js';
import type { LoadOptions } from './types.js';

export interface ClientSettings {
  /** [supervisorctl] serverurl as written (unix:// paths made absolute); null when not set. */
  readonly serverurl: string | null;
  readonly username: string | null;
  readonly password: string | null;
  /** [unix_http_server] file, absolute; null when absent or unusable. */
  readonly unixSocket: string | null;
  /** [inet_http_server] port; host '' means every interface. */
  readonly inet: { readonly host: string; readonly port: number } | null;
}

// The fallbacks are best effort: a value the daemon would reject yields null, not an error.
const attempt = <T>(fn: () => T): T | null => {
  try {
    return fn();
  } catch {
    return null;
  }
};

const unixSocket = (state: LoadState): string | null => {
  const section = sectionsWith(state, 'unix_http_server')[0];
  if (section === undefined) return null;
  const r = readerWithHere(state, section);
  return attempt(() => {
    const file = expanded(r, 'file')?.value;
    return file === undefined ? null : normalizePath(pyStrip(file), state.paths);
  });
};

const inet = (state: LoadState): { host: string; port: number } | null => {
  const section = sectionsWith(state, 'inet_http_server')[0];
  if (section === undefined) return null;
  const r = readerFor(state, section);
  return attempt(() => {
    const port = expanded(r, 'port')?.value;
    return port === undefined ? null : inetAddress.convert(port, r.paths);
  });
};

/** Reads the client settings of `file`; [supervisorctl] values with bad expansions throw. */
export const readClientSettings = (file: string, options: LoadOptions = {}): ClientSettings => {
  const state = initialState(file, options);
  readMainFile(state.store, state.file);
  const clientEnv = new Map(state.envNames);
  readIncludes(state);
  const hasCtl = state.store.sections.has('supervisorctl');
  const r = clientReader(state, clientEnv);
  return {
    serverurl: hasCtl ? readServerUrl(state, r) : null,
    username: hasCtl ? read(r, C.username) : null,
    password: hasCtl ? read(r, C.password) : null,
    unixSocket: unixSocket(state),
    inet: inet(state),
  };
};
