import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseDuration } from '../../protocol/duration.js';
import { TendError } from '../../errors/index.js';
import { readLogRange, type LogChannel, type StreamName } from '../../logs/index.js';
import type { Supervisor } from '../../supervisor/index.js';
import type { DaemonControl } from '../daemon-control.js';
import { StreamSink, type StreamLimits } from '../stream-sink.js';
import { expandName } from './results.js';
import { FollowQuery, MainFollowQuery } from './schemas.js';

// GET /api/v1/logs?names=web,workers:*&lines=10&since=10m&follow=true: the recent output of one
// or more processes, merged in the order it arrived, then (with follow) everything they write, as
// NDJSON: {"name","group","stream","time","data"}, one object per history line and per chunk
// followed (`time`: epoch ms it arrived; null for history older than the daemon's marks).
// `lines` counts per stream; `since` keeps history that arrived at or after a time. GET
// /api/v1/daemon/log/follow does the same for the daemon's own log (name "supervisord", stream
// "main"). Each channel's history is read and its subscription made in the same tick, so nothing
// written in between is lost or repeated. A client that stops reading is cut once its bounded
// queue is full (stream-sink.ts), with a last line {"error": {...}} saying so. Filtering by a
// pattern is the client's: a regular expression from the network never runs in the daemon.

const DEFAULT_LINES = 10;
/** History with `since` and no `lines`: as many lines as the API allows, within the byte cap. */
const SINCE_LINES = 100_000;
const HISTORY_BYTES = 16 * 1024 * 1024;
// The merged history is built before it is sent: what one request may hold is shared among its
// streams, so `since=1d` over hundreds of chatty programs cannot make the daemon read gigabytes.
const TOTAL_BYTES = 32 * 1024 * 1024;
const TOTAL_LINES = 200_000;

interface Share {
  readonly bytes: number;
  readonly lines: number;
}

const shareOf = (streams: number): Share => ({
  bytes: Math.min(HISTORY_BYTES, Math.max(4096, Math.floor(TOTAL_BYTES / Math.max(1, streams)))),
  lines: Math.min(SINCE_LINES, Math.max(10, Math.floor(TOTAL_LINES / Math.max(1, streams)))),
});

const farewell = (why: string): string =>
  `${JSON.stringify({ error: { code: 'STREAM_LIMIT', message: `${why}; disconnected` } })}\n`;

interface Source {
  readonly name: string;
  readonly group: string;
  readonly stream: StreamName | 'main';
  readonly channel: LogChannel;
  /** Follows the source across reloads that replace its process (see Supervisor.followOutput). */
  readonly subscribe: (listener: (chunk: Buffer) => void) => () => void;
}

interface History {
  readonly lines?: number | undefined;
  readonly bytes?: number | undefined;
  readonly since?: string | undefined;
  readonly follow?: boolean | undefined;
  readonly historyEnd?: boolean | undefined;
}

interface Piece {
  readonly source: Source;
  readonly time: number | null;
  readonly data: string;
}

const processSources = (sup: Supervisor, query: FollowQuery): Source[] => {
  const streams = (query.streams ?? 'stdout,stderr').split(',') as StreamName[];
  const seen = new Set<string>();
  const out: Source[] = [];
  for (const raw of query.names.split(',')) {
    const name = expandName(sup, raw.trim());
    const targets = name === 'all' ? sup.targets() : sup.resolve(name).targets;
    for (const { entry, namespec } of targets) {
      for (const stream of streams) {
        if (seen.has(`${namespec}/${stream}`) || entry[stream].path === null) continue;
        seen.add(`${namespec}/${stream}`);
        const { name: process, group } = entry.proc.config;
        out.push({
          name: process,
          group,
          stream,
          channel: entry[stream],
          subscribe: (listener) => sup.followOutput(namespec, stream, listener),
        });
      }
    }
  }
  return out;
};

/** `since` as epoch ms: a duration back from `now`, epoch ms, or an ISO 8601 time. */
export const sinceTime = (text: string | undefined, now: number): number | undefined => {
  if (text === undefined) return undefined;
  // A bare number is a time here (epoch ms), so only a duration with its unit counts as one.
  const back = /[a-z]$/i.test(text.trim()) ? parseDuration(text) : null;
  if (back !== null) return now - back * 1000;
  const at = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isFinite(at)) return at;
  throw new TendError('VALIDATION', `since: not a duration (30s, 10m, 2h, 1d) or a time: ${text}`);
};

const historyOf = (s: Source, query: History & { sinceMs?: number | undefined }, share: Share): Piece[] => {
  const file = s.channel.path;
  if (file === null || !existsSync(file)) return [];
  if (query.bytes !== undefined) {
    s.channel.flush();
    const want = Math.min(query.bytes, share.bytes);
    const bytes = want === 0 ? Buffer.alloc(0) : readLogRange(file, -want, 0);
    return [{ source: s, time: null, data: bytes.toString('utf8') }];
  }
  const since = query.sinceMs;
  const lines = Math.min(query.lines ?? (since === undefined ? DEFAULT_LINES : SINCE_LINES), share.lines);
  return s.channel
    .recentLines({ lines, since, maxBytes: share.bytes })
    .map((l) => ({ source: s, time: l.at, data: l.text.toString('utf8') }));
};

/** Every source's history in arrival order (a stable sort: lines of unknown time first). */
const mergedHistory = (sources: readonly Source[], query: History, since: number | undefined): Piece[] => {
  const share = shareOf(sources.length);
  return sources
    .flatMap((s) => historyOf(s, { ...query, sinceMs: since }, share))
    .sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
};

const send = (
  reply: FastifyReply,
  sources: readonly Source[],
  query: History,
  { limits, now }: { limits: StreamLimits; now: () => number },
): FastifyReply => {
  if (query.bytes !== undefined && (query.lines !== undefined || query.since !== undefined)) {
    throw new TendError('VALIDATION', 'give bytes, or lines and since, not both');
  }
  const since = sinceTime(query.since, now());
  if (sources.length === 0) throw new TendError('NO_FILE', 'there is no log file to read');
  const history = mergedHistory(sources, query, since);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'X-Accel-Buffering': 'no' });
  const sink = new StreamSink(res, limits, farewell);
  const write = ({ source: s, time, data }: Piece): void => {
    if (data === '') return;
    sink.write(`${JSON.stringify({ name: s.name, group: s.group, stream: s.stream, time, data })}\n`);
  };
  for (const piece of history) write(piece);
  if (query.historyEnd === true) sink.write('{"historyEnd":true}\n');
  if (query.follow === true) {
    for (const source of sources) {
      const decoder = new StringDecoder('utf8');
      sink.onClose(
        source.subscribe((chunk) => {
          write({ source, time: now(), data: decoder.write(chunk) });
        }),
      );
    }
    res.flushHeaders();
  } else res.end();
  return reply;
};

export const registerFollow = (
  app: FastifyInstance,
  sup: Supervisor,
  daemon: DaemonControl,
  limits: StreamLimits,
): void => {
  const now = (): number => sup.deps.clock.now();
  app.get<{ Querystring: FollowQuery }>(
    '/api/v1/logs',
    { schema: { querystring: FollowQuery } },
    (request, reply) => {
      sup.assertRunning();
      return send(reply, processSources(sup, request.query), request.query, { limits, now });
    },
  );

  app.get<{ Querystring: MainFollowQuery }>(
    '/api/v1/daemon/log/follow',
    { schema: { querystring: MainFollowQuery } },
    (request, reply) => {
      sup.assertRunning();
      const main = daemon.mainLog;
      const sources =
        main?.path == null
          ? []
          : [
              {
                name: 'supervisord',
                group: '',
                stream: 'main' as const,
                channel: main,
                subscribe: (listener: (chunk: Buffer) => void) => main.subscribe(listener),
              },
            ];
      return send(reply, sources, request.query, { limits, now });
    },
  );
};
