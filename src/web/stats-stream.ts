import type { FastifyInstance } from 'fastify';
import type { ProcessStats } from '../protocol/process-info.js';
import type { Supervisor } from '../supervisor/index.js';
import { StreamSink, type StreamLimits } from '../api/index.js';

// GET /web/stats: CPU and memory for the page, as SSE, one frame per sampling pass with only the
// figures that changed since the last frame sent to that client: `{"t": ms, "s": {"group:name":
// [cpuPercent|null, rssBytes]}}`, a name mapped to null when it stopped. The sampler runs while at
// least one page listens.

type Figures = ReadonlyMap<string, ProcessStats>;
type Row = readonly [number | null, number] | null;

// The sampler keys figures by namespec (`web` when group and name agree); the page's rows by
// GROUP:NAME, the contract of data-process.
const rowKey = (namespec: string): string => (namespec.includes(':') ? namespec : `${namespec}:${namespec}`);

const rounded = (s: ProcessStats): Row => [
  s.cpuPercent === null ? null : Math.round(s.cpuPercent * 10) / 10,
  s.rssBytes,
];

const delta = (previous: Map<string, string>, figures: Figures): Record<string, Row> => {
  const out: Record<string, Row> = {};
  for (const [namespec, stats] of figures) {
    const key = rowKey(namespec);
    const row = rounded(stats);
    const text = JSON.stringify(row);
    if (previous.get(key) !== text) out[key] = row;
    previous.set(key, text);
  }
  const present = new Set([...figures.keys()].map(rowKey));
  for (const key of previous.keys()) {
    if (!present.has(key)) {
      out[key] = null;
      previous.delete(key);
    }
  }
  return out;
};

const farewell = (why: string): string => `event: STREAM_CUT\ndata: ${JSON.stringify({ reason: why })}\n\n`;

export const registerStats = (app: FastifyInstance, sup: Supervisor, limits: StreamLimits): void => {
  app.get('/web/stats', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
    });
    const sink = new StreamSink(reply.raw, limits, farewell);
    const previous = new Map<string, string>();
    const send = (figures: Figures): void => {
      const changed = delta(previous, figures);
      if (Object.keys(changed).length > 0)
        sink.write(`data: ${JSON.stringify({ t: Date.now(), s: changed })}\n\n`);
    };
    sink.write('retry: 2000\n\n');
    const release = sup.stats.acquire();
    const unsubscribe = sup.stats.onPass(send);
    void sup.stats.read(2000).then(send);
    const stop = (): void => {
      unsubscribe();
      release();
    };
    if (sink.open) sink.onClose(stop);
    else stop();
  });
};
