import type { FastifyInstance } from 'fastify';
import { TendError } from '../../errors/index.js';
import { renderScrape, type ScrapeSources } from './collect.js';
import { CONTENT_TYPE } from './exposition.js';

// GET /metrics, behind the same authentication as every route of the control servers. A scrape
// of 1000 programs is about 3 MiB of text, so a client that asks and then does not read would
// keep that in the daemon's memory for as long as it likes: each scrape must be written within
// a deadline (or its connection is cut), and only so many may be unfinished at once. A client
// that never finishes sending its request is cut by the servers' own header and request timeouts.

export interface MetricsLimits {
  /** Scrapes being built or written at once; more are refused with 503. */
  readonly maxInFlight: number;
  /** From the request to the last byte handed to the kernel; then the connection is cut. */
  readonly writeTimeoutMs: number;
}

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
      const body = await renderScrape(sources);
      return await reply.type(CONTENT_TYPE).header('Cache-Control', 'no-store').send(body);
    } catch (error) {
      release();
      throw error;
    }
  });
};
