import { createReadStream, existsSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TendError } from '../errors/index.js';
import type { Supervisor } from '../supervisor/index.js';
import { pickEncoding, type AssetSet } from './assets.js';
import { maskToken } from './csrf.js';
import { contextOf } from './guard.js';
import { expiredCookie, sessionCookie } from './headers.js';
import { dashboardPage, loginPage } from './html.js';
import type { LoginGuard } from './login.js';
import type { SessionStore } from './sessions.js';

// The dashboard's own routes: the two pages, login and logout, the assets, who is logged in, and
// log downloads. The JSON API and the event stream are the control API's own routes (app.ts).

export interface RouteDeps {
  readonly sup: Supervisor;
  readonly sessions: SessionStore;
  readonly login: LoginGuard;
  readonly assets: AssetSet;
  readonly identity: string;
}

const LoginBody = Type.Object(
  {
    username: Type.String({ maxLength: 64 }),
    password: Type.String({ maxLength: 1024 }),
    csrf: Type.String({ maxLength: 128 }),
  },
  { additionalProperties: false },
);
type LoginBody = Static<typeof LoginBody>;

const html = (reply: FastifyReply, status: number, body: string): FastifyReply =>
  reply.status(status).type('text/html; charset=utf-8').send(body);

const showLogin = (
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  view: { status: number; message: string | null; username: string },
) => {
  let session = contextOf(request).session;
  if (session === null) {
    const made = deps.sessions.create(null, null);
    session = made.session;
    reply.header('set-cookie', sessionCookie(made.id));
  }
  const page = loginPage(
    {
      identity: deps.identity,
      token: maskToken(session.csrf),
      message: view.message,
      username: view.username,
    },
    deps.assets,
  );
  return html(reply, view.status, page);
};

const LOGIN_FAILED = 'Wrong user name or password.';

const postLogin = async (
  deps: RouteDeps,
  request: FastifyRequest<{ Body: LoginBody }>,
  reply: FastifyReply,
) => {
  const { username, password } = request.body;
  const outcome = await deps.login.attempt(request.ip, username, password);
  if (outcome.kind === 'limited') {
    reply.header('retry-after', String(Math.ceil(outcome.retryAfterMs / 1000)));
    return showLogin(deps, request, reply, {
      status: 429,
      message: 'Too many failed logins: wait, then try again.',
      username,
    });
  }
  if (outcome.kind === 'busy') {
    reply.header('retry-after', '1');
    return showLogin(deps, request, reply, {
      status: 503,
      message: 'Too many logins at once: try again.',
      username,
    });
  }
  if (outcome.kind === 'denied')
    return showLogin(deps, request, reply, { status: 401, message: LOGIN_FAILED, username });
  // A new id at login: a session id planted before (fixation) never becomes a logged-in one.
  deps.sessions.destroy(contextOf(request).id);
  const made = deps.sessions.create(outcome.user.name, outcome.user.role);
  return reply.status(303).header('set-cookie', sessionCookie(made.id)).header('location', '/').send();
};

const registerPages = (app: FastifyInstance, deps: RouteDeps): void => {
  app.get('/', (request, reply) => {
    const { session } = contextOf(request);
    if (session?.user == null || session.role === null)
      return reply.status(303).header('location', '/login').send();
    const view = {
      identity: deps.identity,
      token: maskToken(session.csrf),
      user: session.user,
      role: session.role,
    };
    return html(reply, 200, dashboardPage(view, deps.assets));
  });
  app.get('/login', (request, reply) => {
    if (contextOf(request).session?.user != null) return reply.status(303).header('location', '/').send();
    return showLogin(deps, request, reply, { status: 200, message: null, username: '' });
  });
  app.post<{ Body: LoginBody }>('/login', { schema: { body: LoginBody } }, (request, reply) =>
    postLogin(deps, request, reply),
  );
  app.post('/logout', (request, reply) => {
    deps.sessions.destroy(contextOf(request).id);
    return reply.status(303).header('set-cookie', expiredCookie()).header('location', '/login').send();
  });
};

const AssetParams = Type.Object({ file: Type.String({ maxLength: 64 }) });
const DownloadParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
});

// Only letters, digits and . _ - reach the header: a process name cannot inject one.
const fileName = (name: string, stream: string): string =>
  `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.${stream}.log`;

const registerFiles = (app: FastifyInstance, deps: RouteDeps): void => {
  app.get<{ Params: Static<typeof AssetParams> }>(
    '/assets/:file',
    { schema: { params: AssetParams } },
    (request, reply) => {
      const asset = deps.assets.files.get(`/assets/${request.params.file}`);
      if (asset === undefined) throw new TendError('NOT_FOUND', 'no such asset');
      const { body, encoding } = pickEncoding(asset, request.headers['accept-encoding']);
      if (encoding !== null) reply.header('content-encoding', encoding);
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('vary', 'accept-encoding')
        .type(asset.type)
        .send(body);
    },
  );
  app.get('/web/session', (request) => {
    const { session } = contextOf(request);
    return { user: session?.user ?? null, role: session?.role ?? null, identity: deps.identity };
  });
  app.get<{ Params: Static<typeof DownloadParams> }>(
    '/web/download/:name/:stream',
    { schema: { params: DownloadParams } },
    (request, reply) => {
      const { name, stream } = request.params;
      deps.sup.assertRunning();
      const info = deps.sup.info(name);
      const file = stream === 'stdout' ? info.stdout_logfile : info.stderr_logfile;
      if (file === '' || !existsSync(file))
        throw new TendError('NO_FILE', `${name} has no ${stream} log file`);
      // Streamed from the file: a log may be gigabytes (logfile_maxbytes = 0), never read whole.
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(name, stream)}"`)
        .send(createReadStream(file));
    },
  );
};

export const registerWebRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  registerPages(app, deps);
  registerFiles(app, deps);
};
