// [web_server] and [web_user:x] (tend only): the dashboard's listener and its accounts. Passwords
// are {scrypt} hashes or a config error at their line; a section that sets only half of a pair
// (certfile/keyfile, username/password) is an error too, since the other half would be guessed.
import { normalizePath } from '../paths.js';
import { configError, expanded, need, raw, read, type Reader } from '../reader.js';
import { WEB_SERVER_KEYS as K, WEB_USER_KEYS as U } from '../schema.js';
import { orSkip } from '../sink.js';
import { readerWithHere, sectionsWith, type LoadState } from '../state.js';
import type { WebServerConfig, WebUserConfig } from '../types.js';

const USER_PREFIX = 'web_user:';

const bothOrNeither = (r: Reader, a: string, b: string): void => {
  const hasA = raw(r, a) !== undefined;
  if (hasA === (raw(r, b) !== undefined)) return;
  const missing = hasA ? b : a;
  const present = hasA ? a : b;
  throw configError(
    r,
    { key: present, located: raw(r, present) },
    `[${r.section}] sets ${present} without ${missing}: set both or neither`,
  );
};

const pathOf = (state: LoadState, r: Reader, key: string): string | null => {
  const found = expanded(r, key);
  return found === undefined ? null : normalizePath(found.value.trim(), state.paths);
};

const readUser = (state: LoadState, section: string): WebUserConfig => {
  const r = readerWithHere(state, section);
  const name = section.slice(USER_PREFIX.length);
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
    throw configError(r, {}, `[${section}]: a user name is 1 to 64 letters, digits or . _ @ -`);
  }
  if (raw(r, 'password') === undefined) {
    throw configError(r, { key: 'password' }, `[${section}] has no password value`);
  }
  // Null only in a checking load whose error is already recorded for this value.
  const password = read(r, U.password) ?? '';
  return { name, password, role: need(r, U.role), source: r.at };
};

const inlineUser = (r: Reader): WebUserConfig[] => {
  bothOrNeither(r, 'username', 'password');
  const name = read(r, K.username);
  if (name === null || raw(r, 'password') === undefined) return [];
  // Null only in a checking load whose error is already recorded for this value.
  const password = read(r, K.password) ?? '';
  return [{ name: name.trim(), password, role: 'operator', source: raw(r, 'username') ?? r.at }];
};

const readServer = (state: LoadState, users: WebUserConfig[]): WebServerConfig => {
  const r = readerWithHere(state, 'web_server');
  if (raw(r, 'port') === undefined) throw configError(r, { key: 'port' }, '[web_server] has no port value');
  const { host, port } = need(r, K.port);
  bothOrNeither(r, 'certfile', 'keyfile');
  const all = [...inlineUser(r), ...users];
  if (all.length === 0) {
    throw configError(
      r,
      {},
      '[web_server] has no account: set username and password, or add a [web_user:NAME] section',
    );
  }
  const names = new Set<string>();
  for (const u of all) {
    if (names.has(u.name)) throw configError(r, {}, `the web user ${u.name} is defined twice`);
    names.add(u.name);
  }
  return {
    host,
    port,
    certfile: pathOf(state, r, 'certfile'),
    keyfile: pathOf(state, r, 'keyfile'),
    publicUrl: read(r, K.public_url),
    sessionTimeout: need(r, K.session_timeout),
    users: all,
    source: r.at,
  };
};

/** The dashboard's settings; null without [web_server] (a [web_user:x] alone is then an error). */
export const readWebServer = (state: LoadState): WebServerConfig | null => {
  const users = sectionsWith(state, USER_PREFIX).flatMap((s) =>
    orSkip(
      state,
      () => [readUser(state, s)],
      () => [],
    ),
  );
  if (!state.store.sections.has('web_server')) {
    const first = sectionsWith(state, USER_PREFIX)[0];
    if (first !== undefined) {
      throw configError(readerWithHere(state, first), {}, `[${first}] needs a [web_server] section`);
    }
    return null;
  }
  return orSkip(
    state,
    () => readServer(state, users),
    () => null,
  );
};
