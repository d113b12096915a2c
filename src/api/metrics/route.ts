import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { TendError } from '../../errors/index.js';
import { renderScrape, type ScrapeSources } from './collect.js';
import { CONTENT_TYPE } from './exposition.js';

// GET /metrics, behind the same authentication as every route of the control servers. A scrape
// of 1000 programs is about 3 MiB of text, so a client that asks and then does not read would
// keep that in the daemon's memory for as long as it likes: each scrape must be written within
// a deadline (or its connection is cut), and only so many may be unfinished at once. A client
// that never finishes sending its request is cut by the servers' own header and request timeouts.
// Prometheus asks for gzip: the text is repetitive enough that level 1 makes it ~15 times smaller
// for a few ms of CPU, off the event loop (zlib runs in libuv's threadpool).

export interface MetricsLimits {
  /** Scrapes being built or written at once; more are refused with 503. */
  readonly maxInFlight: number;
  /** From the request to the last byte handed to the kernel; then the connection is cut. */
  readonly writeTimeoutMs: number;
}

const gzipAsync = promisify(gzip);

/** Whether an Accept-Encoding header accepts gzip (named, and not with q=0). */
export const acceptsGzip = (header: string | undefined): boolean =>
  (header ?? '').split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });

export const DEFAULT_METRICS_LIMITS: MetricsLimits = { maxInFlight: 8, writeTimeoutMs: 30_000 };

export const registerMetrics = (
  app: FastifyInstance,
  sources: ScrapeSources,
  limits: MetricsLimits = DEFAULT_METRICS_LIMITS,
): void => {
  let inFlight = 0;
  app.get('/metrics', async (request, reply) => {
    if (inFlight >= limits.maxInFlight) {
      throw new TendError('STREAM_LIMIT', `at most ${limits.maxInFlight} scrapes of /metrics at once`);
    }
    inFlight += 1;
    let open = true;
    const release = (): void => {
      if (!open) return;
      open = false;
      inFlight -= 1;
      clearTimeout(deadline);
    };
    const deadline = setTimeout(() => {
      request.raw.socket.destroy();
      release();
    }, limits.writeTimeoutMs);
    deadline.unref();
    reply.raw.once('finish', release).once('close', release);
    try {
      const text = await renderScrape(sources);
      reply.type(CONTENT_TYPE).header('Cache-Control', 'no-store').header('Vary', 'Accept-Encoding');
      if (!acceptsGzip(request.headers['accept-encoding'])) return await reply.send(text);
      const body = await gzipAsync(text, { level: 1 });
      return await reply.header('Content-Encoding', 'gzip').send(body);
    } catch (error) {
      release();
      throw error;
    }
  });
};
