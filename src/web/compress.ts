import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { acceptsGzip } from '../api/metrics/route.js';

// Large JSON answers go out gzipped to a browser that accepts it: the full list of 1000 programs
// is about 1 MB of text and ~15 times smaller compressed (level 1, in libuv's threadpool). Only
// JSON bodies are compressed, and they hold no secret: the CSRF token travels in a header, which
// HTTP/1.1 does not compress, so compression offers BREACH nothing to guess against.

const gzipAsync = promisify(gzip);
const MIN_BYTES = 16 * 1024;

export const compressLargeJson = (app: FastifyInstance): void => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || payload.length < MIN_BYTES) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    if (!acceptsGzip(request.headers['accept-encoding'])) return payload;
    reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
    reply.removeHeader('content-length');
    return gzipAsync(payload, { level: 1 });
  });
};
