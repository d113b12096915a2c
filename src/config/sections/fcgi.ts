// [fcgi-program:x] socket settings (options.py process_groups_from_parser, parse_fcgi_socket).
import { configError, expanded, need, raw, read, type Reader } from '../reader.js';
import { FCGI_KEYS as K } from '../schema.js';
import { normalizePath } from '../paths.js';
import { pyInt } from '../pystr.js';
import { readerWithHere, type LoadState } from '../state.js';
import type { FcgiConfig } from '../types.js';

const readBacklog = (r: Reader): number | null => {
  const backlog = read(r, K.socket_backlog);
  if (backlog !== null && (backlog < 1 || backlog > 65535)) {
    const at = { key: 'socket_backlog', located: raw(r, 'socket_backlog'), expected: '1-65535' };
    throw configError(r, at, `Invalid socket_backlog value ${backlog}`);
  }
  return backlog;
};

const unixSocket = (r: Reader, url: string, base: Omit<FcgiConfig, 'socket'>): FcgiConfig => {
  const at = { key: 'socket', located: raw(r, 'socket') };
  const path = url.slice('unix://'.length);
  if (!path.startsWith('/'))
    throw configError(r, at, `Unix socket path ${path} is not an absolute path in [${r.section}] socket`);
  return { ...base, socket: `unix://${normalizePath(path, r.paths)}` };
};

const SOCKET_FORMS = 'unix:///path or tcp://host:port';

const tcpSocket = (r: Reader, url: string, base: Omit<FcgiConfig, 'socket'>): FcgiConfig => {
  const at = { key: 'socket', located: raw(r, 'socket'), expected: SOCKET_FORMS };
  const match = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(url);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw configError(r, at, `Bad socket format ${url} in [${r.section}] socket`);
  }
  const port = pyInt(match[2]);
  if (port < 1 || port > 65535)
    throw configError(r, at, `${port} is out of range (1-65535) in [${r.section}] socket`);
  return { ...base, socket: `tcp://${match[1].toLowerCase()}:${port}`, owner: null };
};

// supervisord gives a unix socket to the program's user when that differs from its own.
const defaultOwner = (r: Reader): { uid: number; gid: number } | null => {
  const user = read(r, K.user);
  return user !== null && user.uid !== r.paths.uid ? { uid: user.uid, gid: user.gid } : null;
};

/** The group priority and socket of an fcgi-program section. */
export const readFcgiSocket = (
  state: LoadState,
  section: string,
  program: string,
): { priority: number; config: FcgiConfig } => {
  const r = readerWithHere(state, section);
  const priority = need(r, K.priority);
  const owner = defaultOwner(r);
  const backlog = readBacklog(r);
  const explicitOwner = read(r, K.socket_owner);
  const mode = need(r, K.socket_mode);
  const ownMode = raw(r, 'socket_mode') !== undefined;
  const names = new Map([...r.names, ['program_name', program]]);
  const url = expanded(r, 'socket', names)?.value ?? '';
  if (url === '') throw configError(r, { key: 'socket' }, `[${section}] section requires a "socket" line`);
  const base = { backlog, owner: explicitOwner ?? owner, mode };
  if (url.startsWith('unix://')) return { priority, config: unixSocket(r, url, base) };
  if (explicitOwner !== null || ownMode) {
    const at = { key: 'socket', located: raw(r, 'socket'), expected: SOCKET_FORMS };
    const reason = 'socket_owner and socket_mode params should only be used with a Unix domain socket';
    throw configError(r, at, `${reason} in [${section}] socket`);
  }
  return { priority, config: tcpSocket(r, url, base) };
};
