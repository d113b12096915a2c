import { chmodSync, chownSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { TendError } from '../errors/index.js';

// The control plane's listeners. A unix socket that answers belongs to a running daemon: refuse to
// start (as supervisord does) instead of stealing it; one that refuses connections is stale and is
// removed. The socket is created under umask 077 and then given its configured mode and owner, so
// it is never reachable with looser permissions, even for an instant.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const answers = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });

export const claimUnixSocket = async (path: string): Promise<void> => {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) {
    throw new TendError('ALREADY_RUNNING', `${path} exists and is not a socket; refusing to replace it`);
  }
  if (await answers(path)) {
    throw new TendError('ALREADY_RUNNING', `another daemon is already listening on ${path}`, {
      hint: 'stop it first (tend shutdown, or supervisorctl shutdown), or use another [unix_http_server] file',
    });
  }
  unlinkSync(path);
};

// A client that sends its headers or its body slower than this is cut off (slowloris); Node
// checks every `connectionsCheckingInterval`, so a slow client goes after 10–15 s. That check is
// the idle daemon's only timer (strace: one wakeup a second at 1 s), so it runs every 5 s.
// supervisorctl sends each request in one go.
const tune = (server: Server): Server => {
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 72_000;
  server.maxHeadersCount = 100;
  return server;
};

export const newServer = (handler: Handler): Server =>
  tune(createServer({ connectionsCheckingInterval: 5000 }, handler));

// Connections waiting to be accepted while the event loop is busy. Node's default (511) overflows
// when a thousand clients connect at once (found by the chaos suite: idle-connections,
// connection-churn), and a unix socket then refuses the next client with EAGAIN at once, where
// TCP would retry. The kernel caps it at net.core.somaxconn (4096 on current kernels).
const BACKLOG = 4096;

const listenOn = (server: Server, target: string | { host: string; port: number }): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (typeof target === 'string') server.listen({ path: target, backlog: BACKLOG }, done);
    else {
      const host = target.host === '' ? undefined : target.host;
      server.listen({ port: target.port, ...(host === undefined ? {} : { host }), backlog: BACKLOG }, done);
    }
  });

export interface UnixListenOptions {
  readonly path: string;
  readonly mode: number;
  readonly owner: { readonly uid: number; readonly gid: number } | null;
}

export const listenUnix = async (server: Server, options: UnixListenOptions): Promise<void> => {
  const previous = process.umask(0o077);
  try {
    await listenOn(server, options.path);
  } finally {
    process.umask(previous);
  }
  chmodSync(options.path, options.mode);
  if (options.owner !== null) chownSync(options.path, options.owner.uid, options.owner.gid);
};

export const listenInet = async (server: Server, host: string, port: number): Promise<void> => {
  try {
    await listenOn(server, { host, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new TendError(
        'ALREADY_RUNNING',
        `another program is already listening on ${host || '*'}:${port}`,
        {
          hint: 'stop it first, or change [inet_http_server] port',
        },
      );
    }
    throw error;
  }
};

export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
