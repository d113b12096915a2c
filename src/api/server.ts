import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { TendError, toHttp, toTendError } from '../errors/index.js';
import type { Supervisor } from '../supervisor/index.js';
import { checkBasicAuth, type Credentials } from './auth.js';
import { registerRest, type DaemonControl } from './rest.js';

// One HTTP application serves every listener (the unix socket and the optional inet port). Each
// listener has its own credentials, looked up per connection, exactly as supervisord wraps every
// handler of a server whose section sets username/password.

export interface ApiOptions {
  readonly supervisor: Supervisor;
  readonly daemon: DaemonControl;
  /** Credentials required on a connection, decided per socket (unix vs inet listener). */
  readonly credentialsFor: (request: FastifyRequest) => Credentials | null;
  /** Builds the primary HTTP server; the daemon reuses the handler for its other listeners. */
  readonly serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server;
}

const BODY_LIMIT = 1024 * 1024;

const sendError = (reply: FastifyReply, error: unknown): FastifyReply => {
  const { status, body } = toHttp(error);
  return reply.status(status).type('application/json').send(body);
};

export const createApi = (options: ApiOptions): FastifyInstance => {
  const app = Fastify({
    serverFactory: options.serverFactory,
    logger: false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
  });

  app.addHook('onRequest', async (request, reply) => {
    const expected = options.credentialsFor(request);
    if (expected === null) return;
    const verdict = checkBasicAuth(request.headers.authorization, expected);
    if (verdict === 'ok') return;
    if (verdict === 'malformed') {
      await sendError(reply, new TendError('VALIDATION', 'malformed Authorization header'));
      return;
    }
    reply.header('WWW-Authenticate', 'Basic realm="default"').header('Connection', 'close');
    await sendError(reply, new TendError('UNAUTHORIZED', 'authentication required'));
  });

  app.setErrorHandler((error, _request, reply) => {
    const fastifyError = error as {
      validation?: unknown;
      statusCode?: number;
      code?: string;
      message: string;
    };
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
    return sendError(reply, toTendError(error));
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new TendError('NOT_FOUND', `no route for ${request.method} ${request.url}`)),
  );

  registerRest(app, options.supervisor, options.daemon);
  return app;
};
