import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  EventHub,
  handleError,
  registerEvents,
  registerRest,
  sendError,
  streamLimits,
  type DaemonControl,
} from '../api/index.js';
import type { WebServerConfig } from '../config/index.js';
import { TendError } from '../errors/index.js';
import type { LifecycleLog } from '../process/index.js';
import type { Supervisor } from '../supervisor/index.js';
import { typeboxValidator } from '../api/validation.js';
import { loadAssets, type AssetSet } from './assets.js';
import { installGuard } from './guard.js';
import { LoginGuard } from './login.js';
import { registerWebRoutes } from './routes.js';
import { SessionStore } from './sessions.js';
import { registerStats } from './stats-stream.js';
import type { TlsMaterial } from './tls.js';

// The dashboard: its own Fastify application on its own HTTPS listener ([web_server]), serving
// the pages, the same JSON API and event stream as the control servers (the same route modules,
// so the same validation and error envelope), and the page's CPU/memory stream. Authentication is
// by session and CSRF token (guard.ts) instead of Basic auth.

export interface WebOptions {
  readonly supervisor: Supervisor;
  readonly daemon: DaemonControl;
  readonly config: WebServerConfig;
  readonly tls: TlsMaterial;
  /** Shown in the title: the daemon's identifier and host. */
  readonly identity: string;
  readonly log?: LifecycleLog;
  readonly now?: () => number;
  /** Tests and the bench pass built assets; the daemon reads dist/bundle/web. */
  readonly assets?: AssetSet;
}

export interface WebApp {
  readonly app: FastifyInstance;
  readonly sessions: SessionStore;
  readonly close: () => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const httpsFactory =
  (tls: TlsMaterial) =>
  (handler: Handler): Server => {
    const server = createHttpsServer({ key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' }, handler);
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    server.maxHeadersCount = 100;
    return server;
  };

const originsFor =
  (config: WebServerConfig) =>
  (request: FastifyRequest): ReadonlySet<string> =>
    new Set(config.publicUrl !== null ? [config.publicUrl] : [`https://${request.headers.host ?? ''}`]);

const formParser = (
  _request: FastifyRequest,
  body: string,
  done: (e: Error | null, v?: unknown) => void,
): void => {
  done(null, Object.fromEntries(new URLSearchParams(body)));
};

const newFastify = (options: WebOptions): FastifyInstance => {
  const app = Fastify({
    serverFactory: httpsFactory(options.tls),
    logger: false,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    frameworkErrors: (error, _request, reply) => {
      void sendError(reply, new TendError('VALIDATION', error.message));
    },
  });
  app.setValidatorCompiler(typeboxValidator);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 8192 },
    formParser,
  );
  app.setErrorHandler((error, _request, reply) => handleError(error, reply, options.log));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new TendError('NOT_FOUND', `no route for ${request.method} ${request.url}`)),
  );
  return app;
};

export const createWebApp = (options: WebOptions): WebApp => {
  const now = options.now ?? Date.now;
  const sessions = new SessionStore({ idleMs: options.config.sessionTimeout * 1000, now });
  const app = newFastify(options);
  installGuard(app, { sessions, origins: originsFor(options.config) });
  const sup = options.supervisor;
  const streams = streamLimits();
  registerWebRoutes(app, {
    sup,
    sessions,
    login: new LoginGuard(options.config.users, now),
    assets: options.assets ?? loadAssets(),
    identity: options.identity,
  });
  registerRest(app, sup, options.daemon, streams);
  registerEvents(app, sup, new EventHub(sup.bus, sup.history), streams);
  registerStats(app, sup, streams);
  const sweep = setInterval(() => {
    sessions.sweep();
  }, 30_000);
  sweep.unref();
  const close = (): void => {
    clearInterval(sweep);
    sessions.clear();
  };
  return { app, sessions, close };
};
