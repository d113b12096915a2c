// `socket` of a [program:x] (tend's socket activation, docs/zero-downtime.md): the same URL forms
// and options as [fcgi-program:x], but the socket goes to the child as fd 3 with systemd's
// LISTEN_FDS protocol, not as fd 0. supervisord ignores these keys on a [program:x].
import { normalizePath } from '../paths.js';
import { pyInt } from '../pystr.js';
import { configError, expanded, need, raw, read, type Reader } from '../reader.js';
import { PROGRAM_KEYS as K } from '../schema.js';
import { recover, report } from '../sink.js';
import type { ListenSocketConfig, ProcessConfig } from '../types.js';

const FORMS = 'tcp://HOST:PORT or unix:///absolute/path';

type Options = Pick<ListenSocketConfig, 'backlog' | 'mode' | 'owner'>;

const readBacklog = (r: Reader): number | null => {
  const backlog = read(r, K.socket_backlog);
  if (backlog !== null && (backlog < 1 || backlog > 65535)) {
    const at = { key: 'socket_backlog', located: raw(r, 'socket_backlog'), expected: '1-65535' };
    throw configError(r, at, `Invalid socket_backlog value ${backlog}`);
  }
  return backlog;
};

// As for an fcgi-program: a unix socket belongs to the program's user when that is not the daemon's.
const readOwner = (r: Reader): ListenSocketConfig['owner'] => {
  const explicit = read(r, K.socket_owner);
  if (explicit !== null) return explicit;
  const user = read(r, K.user);
  return user !== null && user.uid !== r.paths.uid ? { uid: user.uid, gid: user.gid } : null;
};

// A unix socket path goes into sockaddr_un.sun_path, 108 bytes with its NUL.
const MAX_UNIX_PATH = 107;

const parseUnix = (r: Reader, url: string, options: Options): ListenSocketConfig => {
  const at = { key: 'socket', located: raw(r, 'socket'), expected: FORMS };
  const rest = url.slice('unix://'.length);
  if (!rest.startsWith('/')) throw configError(r, at, `unix socket path ${rest} is not absolute`);
  const path = normalizePath(rest, r.paths);
  if (Buffer.byteLength(path) > MAX_UNIX_PATH)
    throw configError(r, at, `unix socket path is longer than ${MAX_UNIX_PATH} bytes`);
  return { url: `unix://${path}`, kind: 'unix', address: path, port: 0, ...options };
};

const parseTcp = (r: Reader, url: string, options: Options): ListenSocketConfig => {
  const located = raw(r, 'socket');
  const at = { key: 'socket', located, expected: FORMS };
  const match = /^tcp:\/\/(\[[^\]]+\]|[^\s:[\]]*):(\d+)$/.exec(url);
  if (match?.[1] === undefined || match[2] === undefined) throw configError(r, at, 'not a socket address');
  const port = pyInt(match[2]);
  if (port < 1 || port > 65535) throw configError(r, at, `port ${port} is out of range (1-65535)`);
  if (raw(r, 'socket_owner') !== undefined || raw(r, 'socket_mode') !== undefined) {
    const reason = 'socket_owner and socket_mode apply to a unix socket only';
    throw configError(r, { key: 'socket', located }, reason);
  }
  const host = match[1].toLowerCase();
  const address = host.startsWith('[') ? host.slice(1, -1) : host;
  return { url: `tcp://${host}:${port}`, kind: 'tcp', address, port, ...options, owner: null };
};

const parse = (r: Reader, url: string): ListenSocketConfig => {
  const options = { backlog: readBacklog(r), mode: need(r, K.socket_mode), owner: readOwner(r) };
  if (url.startsWith('unix://')) return parseUnix(r, url, options);
  if (url.startsWith('tcp://')) return parseTcp(r, url, options);
  throw configError(r, { key: 'socket', located: raw(r, 'socket'), expected: FORMS }, 'not a socket address');
};

/** The socket of one process of a [program:x] (expanded with its names), or null without one. */
export const readListenSocket = (r: Reader, names: ReadonlyMap<string, string | number>): ListenSocketConfig | null => {
  const url = expanded(r, 'socket', names)?.value.trim();
  if (url === undefined || url === '') return null;
  return recover(
    r,
    () => parse(r, url),
    () => null,
  );
};

/** Every process of a program shares one socket: a socket that differs per process is an error. */
export const checkSharedSocket = (r: Reader, processes: readonly ProcessConfig[]): void => {
  const urls = [...new Set(processes.map((p) => p.socket?.url ?? ''))];
  if (urls.length <= 1) return;
  const reason = `every process of the program shares one socket, but numprocs gives ${urls.join(' and ')}`;
  report(r, configError(r, { key: 'socket', located: raw(r, 'socket') }, reason));
};
