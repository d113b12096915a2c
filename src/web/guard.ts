import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../api/index.js';
import { TendError } from '../errors/index.js';
import { maskToken, sameOrigin, tokenMatches } from './csrf.js';
import { cookieValue, securityHeaders } from './headers.js';
import type { Session, SessionStore } from './sessions.js';

// The checks every dashboard request goes through, in order:
// 1. security headers (also on streams, which bypass Fastify's reply);
// 2. the session from the cookie; the JSON API, the streams and /web/* need a logged-in user;
// 3. for POST/PUT/PATCH/DELETE: Origin (or Referer) equal to the page's origin, then the CSRF
//    token (header X-CSRF-Token, or the form field `csrf`) of this session, then the operator role
//    (login and logout excepted). Anything else is a 403 and the handler never runs;
// 4. every answer to a session carries a freshly masked token (X-CSRF-Token).

export interface RequestContext {
  readonly id: string | undefined;
  readonly session: Session | null;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

export const contextOf = (request: FastifyRequest): RequestContext =>
  contexts.get(request.raw) ?? { id: undefined, session: null };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const NEEDS_USER = /^\/(api|web)\//;
const SESSION_ONLY = new Set(['/login', '/logout']);

export interface GuardOptions {
  readonly sessions: SessionStore;
  /** The origin(s) pages are served from, for this request. */
  readonly origins: (request: FastifyRequest) => ReadonlySet<string>;
}

// A session's ending (logout, idle timeout) also closes the streams it opened (all GETs). Not the
// request that ends it: cutting the login or logout POST itself would make the browser retry it.
const tieToSession = (request: FastifyRequest, reply: FastifyReply, session: Session): void => {
  if (request.method !== 'GET') return;
  const close = (): void => {
    request.raw.socket.destroy();
  };
  session.closers.add(close);
  reply.raw.on('close', () => session.closers.delete(close));
};

const identify = (options: GuardOptions) => async (request: FastifyRequest, reply: FastifyReply) => {
  securityHeaders(reply.raw);
  const id = cookieValue(request.headers.cookie);
  const session = options.sessions.get(id);
  contexts.set(request.raw, { id, session });
  if (session !== null) tieToSession(request, reply, session);
  const path = request.url.split('?')[0] ?? '';
  if (NEEDS_USER.test(path) && session?.user == null) {
    await sendError(reply, new TendError('UNAUTHORIZED', 'log in first'));
  }
};

const refusal = (request: FastifyRequest, options: GuardOptions): TendError | null => {
  const { session } = contextOf(request);
  const origin = { origin: request.headers.origin, referer: request.headers.referer };
  if (!sameOrigin(origin, options.origins(request)))
    return new TendError('FORBIDDEN', 'cross-origin request refused');
  if (session === null) return new TendError('FORBIDDEN', 'no session: reload the page');
  const header = request.headers['x-csrf-token'];
  const field = (request.body as { csrf?: unknown } | undefined)?.csrf;
  const token = typeof header === 'string' ? header : typeof field === 'string' ? field : undefined;
  if (!tokenMatches(token, session.csrf)) return new TendError('FORBIDDEN', 'missing or invalid CSRF token');
  if (SESSION_ONLY.has(request.url)) return null;
  if (session.user === null) return new TendError('UNAUTHORIZED', 'log in first');
  if (session.role !== 'operator') return new TendError('FORBIDDEN', 'viewers may not act');
  return null;
};

export const installGuard = (app: FastifyInstance, options: GuardOptions): void => {
  app.addHook('onRequest', identify(options));
  app.addHook('preValidation', async (request, reply) => {
    if (SAFE.has(request.method)) return;
    const refused = refusal(request, options);
    if (refused !== null) await sendError(reply, refused);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const { session } = contextOf(request);
    if (session !== null) reply.header('x-csrf-token', maskToken(session.csrf));
    return payload;
  });
};
