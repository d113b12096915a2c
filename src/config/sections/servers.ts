// [unix_http_server] and [inet_http_server] (options.py server_configs_from_parser). Like
// supervisord, any section whose name starts with the kind counts; tend serves the first of each.
import { normalizePath } from '../paths.js';
import { configError, expanded, need, raw, read, type Reader } from '../reader.js';
import { INET_HTTP_SERVER_KEYS as I, UNIX_HTTP_SERVER_KEYS as U } from '../schema.js';
import { pyStrip } from '../pystr.js';
import { orSkip } from '../sink.js';
import { readerFor, sectionsWith, warn, type LoadState } from '../state.js';
import type { InetHttpServerConfig, UnixHttpServerConfig } from '../types.js';

const readAuth = (r: Reader): { username: string | null; password: string | null } => {
  const username = read(r, U.username);
  const password = read(r, U.password);
  if ((username === null) !== (password === null)) {
    throw configError(
      r,
      {
        key: username === null ? 'password' : 'username',
        located: raw(r, username === null ? 'password' : 'username'),
      },
      `Section [${r.section}] contains incomplete authentication: If a username or a password is specified, ` +
        'both the username and password must be specified',
    );
  }
  return { username, password };
};

const readInet = (state: LoadState, section: string): InetHttpServerConfig => {
  const r = readerFor(state, section);
  const auth = readAuth(r);
  if (raw(r, 'port') === undefined)
    throw configError(r, { key: 'port' }, `section [${section}] has no port value`);
  const { host, port } = need(r, I.port);
  return { host, port, ...auth, source: r.at };
};

const readUnix = (state: LoadState, section: string): UnixHttpServerConfig => {
  const r = readerFor(state, section);
  const file = expanded(r, 'file', new Map([...r.names, ['here', state.here]]));
  if (file === undefined) throw configError(r, { key: 'file' }, `section [${section}] has no file value`);
  const auth = readAuth(r);
  const chown = read(r, U.chown);
  const chmod = need(r, U.chmod);
  return { file: normalizePath(pyStrip(file.value), state.paths), chmod, chown, ...auth, source: r.at };
};

const firstOf = <T extends { source: { file: string; line: number } }>(
  state: LoadState,
  kind: string,
  all: T[],
): T | null => {
  for (const extra of all.slice(1)) {
    warn(state, {
      ...extra.source,
      section: kind,
      message: `only the first [${kind}] section is served; this one is ignored`,
    });
  }
  return all[0] ?? null;
};

/** The control servers, read after the groups as supervisord does. */
export const readServers = (
  state: LoadState,
): { inet: InetHttpServerConfig | null; unix: UnixHttpServerConfig | null } => {
  const inet = sectionsWith(state, 'inet_http_server').flatMap((s) =>
    orSkip(
      state,
      () => [readInet(state, s)],
      () => [],
    ),
  );
  const unix = sectionsWith(state, 'unix_http_server').flatMap((s) =>
    orSkip(
      state,
      () => [readUnix(state, s)],
      () => [],
    ),
  );
  return { inet: firstOf(state, 'inet_http_server', inet), unix: firstOf(state, 'unix_http_server', unix) };
};
