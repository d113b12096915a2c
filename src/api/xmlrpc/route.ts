import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { toFault, toTendError } from '../../errors/index.js';
import type { LifecycleLog } from '../../process/index.js';
import type { Supervisor } from '../../supervisor/index.js';
import type { DaemonControl } from '../daemon-control.js';
import { decodeCall } from './decode.js';
import { dispatch } from './dispatch.js';
import { encodeFault, encodeResponse } from './encode.js';
import { RpcSession } from './session.js';

// POST /RPC2 (and any path that starts with it: server.ts rewrites those), supervisord's
// XML-RPC endpoint. The body is taken as bytes whatever its content type, as supervisord does;
// a body that is not XML-RPC is a 400, a failing call a fault inside a 200.

export interface XmlRpcOptions {
  readonly supervisor: Supervisor;
  readonly daemon: DaemonControl;
  readonly log?: LifecycleLog | undefined;
}

/** One call's response document: its result, or its fault (an unexpected error is logged). */
const answer = async (options: XmlRpcOptions, session: RpcSession, body: Buffer): Promise<string> => {
  const call = decodeCall(body);
  const context = { sup: options.supervisor, daemon: options.daemon, session };
  try {
    return encodeResponse(await dispatch(context, call.method, call.params));
  } catch (error) {
    const e = toTendError(error);
    if (e.code === 'INTERNAL') options.log?.('error', `XML-RPC ${call.method} failed: ${e.message}`);
    return encodeFault(toFault(e));
  }
};

export const registerXmlRpc = (app: FastifyInstance, options: XmlRpcOptions): void => {
  const sessions = new WeakMap<Socket, RpcSession>();
  const sessionOf = (socket: Socket): RpcSession => {
    let session = sessions.get(socket);
    if (session === undefined) {
      session = new RpcSession();
      sessions.set(socket, session);
    }
    return session;
  };
  void app.register((scope, _opts, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, next) => {
      next(null, body);
    });
    // supervisord's XML-RPC handler answers anything but POST with 400.
    scope.route({
      method: ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
      url: '/RPC2',
      handler: (_request, reply) => reply.status(400).type('text/plain').send('400 Bad Request\n'),
    });
    scope.post('/RPC2', async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const xml = await answer(options, sessionOf(request.raw.socket), body);
      return reply.type('text/xml').send(xml);
    });
    done();
  });
};
