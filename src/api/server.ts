import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { TendError, toHttp, toTendError } from '../errors/index.js';
import type { LifecycleLog } from '../process/index.js';
import type { Supervisor } from '../supervisor/index.js';
import { typeboxValidator } from './validation.js';
import { Authenticator, type Credentials } from './auth.js';
import type { DaemonControl } from './daemon-control.js';
import { registerLogtail } from './logtail.js';
import { mountMetrics, type MetricsLimits } from './metrics/index.js';
import { EventHub } from './sse/hub.js';
import { registerEvents } from './sse/route.js';
import { streamLimits, type StreamLimits } from './stream-sink.js';
import { registerRest } from './rest/index.js';
import { registerAlerts } from './rest/alerts.js';
import type { AlertService } from '../alerts/index.js';
import { registerXmlRpc } from './xmlrpc/route.js';

// One HTTP application serves every listener (the unix socket and the optional inet port). Each
// listener has its own credentials, looked up per connection, exactly as supervisord wraps every
// handler of a server whose section sets username/password.

export interface ApiOptions {
  readonly supervisor: Supervisor;
  readonly daemon: DaemonControl;
  /** Credentials required on a connection, decided per socket (unix vs inet listener). */
  readonly credentialsFor: (request: FastifyRequest) => Credentials | null;
  /** Builds the primary HTTP server; the daemon reuses the handler for its other listeners. */
  readonly serverFactory?: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server;
  /** Where unexpected failures are reported (the daemon's log). */
  readonly log?: LifecycleLog;
  /** Bounds of never-ending responses (SSE, log follow, tail -f); defaults: streamLimits(). */
  readonly streams?: StreamLimits;
  /** Concurrent GET /api/v1/events streams at most (default 256). */
  readonly maxEventStreams?: number;
  /** Bounds of GET /metrics; defaults: DEFAULT_METRICS_LIMITS. */
  readonly metrics?: MetricsLimits;
  /** The daemon's [alert:x] senders (GET /api/v1/alerts, tend alert test); none: no alerts. */
  readonly alerts?: AlertService;
}

export const BODY_LIMIT = 1024 * 1024;

export const sendError = (reply: FastifyReply, error: unknown): FastifyReply => {
  const { status, body } = toHttp(error);
  return reply.status(status).type('application/json').send(body);
};

// supervisord's handlers match by prefix: /RPC2anything is XML-RPC, /mainlogtail... the main log.
const rewriteUrl = (req: IncomingMessage): string => {
  const url = req.url ?? '/';
  if (url.startsWith('/RPC2')) return '/RPC2';
  if (url.startsWith('/mainlogtail')) return '/mainlogtail';
  return url;
};

const authenticate = (options: ApiOptions) => {
  const authenticator = new Authenticator();
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const expected = options.credentialsFor(request);
    if (expected === null) return;
    const verdict = await authenticator.check(request.headers.authorization, expected, request.raw.socket);
    if (verdict === 'ok') return;
    if (verdict === 'malformed') {
      await sendError(reply, new TendError('VALIDATION', 'malformed Authorization header'));
    } else if (verdict === 'busy') {
      await sendError(reply, new TendError('UNREACHABLE', 'too many logins in progress; try again'));
    } else {
      reply.header('WWW-Authenticate', 'Basic realm="default"').header('Connection', 'close');
      await sendError(reply, new TendError('UNAUTHORIZED', 'authentication required'));
    }
  };
};

export const handleError = (
  error: unknown,
  reply: FastifyReply,
  log: LifecycleLog | undefined,
): FastifyReply => {
  const fastifyError = error as { validation?: unknown; statusCode?: number; code?: string; message: string };
  if (fastifyError.validation !== undefined) {
    return sendError(reply, new TendError('VALIDATION', fastifyError.message));
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(
      reply,
      new TendError('PAYLOAD_TOO_LARGE', `request bodies are limited to ${BODY_LIMIT} bytes`),
    );
  }
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode < 500 &&
    !(error instanceof TendError)
  ) {
    return sendError(reply, new TendError('VALIDATION', fastifyError.message));
  }
  const e = toTendError(error);
  if (e.code === 'INTERNAL') log?.('error', `API request failed: ${e.message}`);
  return sendError(reply, e);
};

export const createApi = (options: ApiOptions): FastifyInstance => {
  const app = Fastify({
    ...(options.serverFactory === undefined ? {} : { serverFactory: options.serverFactory }),
    logger: false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    rewriteUrl,
    // A URL Fastify cannot even decode gets the same envelope as every other refusal.
    frameworkErrors: (error, _request, reply) => {
      void sendError(reply, new TendError('VALIDATION', error.message));
    },
  });
  app.setValidatorCompiler(typeboxValidator);

  // After the body is read: answering 401 and closing while a client still sends its body would
  // make the client fail with a broken pipe instead of reading the 401.
  app.addHook('preValidation', authenticate(options));
  app.setErrorHandler((error, _request, reply) => handleError(error, reply, options.log));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new TendError('NOT_FOUND', `no route for ${request.method} ${request.url}`)),
  );

  registerXmlRpc(app, { supervisor: options.supervisor, daemon: options.daemon, log: options.log });
  const streams = options.streams ?? streamLimits();
  const sup = options.supervisor;
  registerLogtail(app, sup, options.daemon, streams);
  registerRest(app, sup, options.daemon, streams);
  const hub = new EventHub(sup.bus, sup.history, options.maxEventStreams);
  registerEvents(app, sup, hub, streams);
  mountMetrics(app, {
    supervisor: sup,
    sseClients: () => hub.clients,
    alerts: () => options.alerts?.status() ?? [],
    version: options.daemon.version,
    limits: options.metrics,
  });
  registerAlerts(app, options.alerts ?? null);
  return app;
};
