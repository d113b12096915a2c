import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TendError } from '../../errors/index.js';
import { readLastLines, readLogRange, type LogChannel, type StreamName } from '../../logs/index.js';
import type { Supervisor } from '../../supervisor/index.js';
import type { DaemonControl } from '../daemon-control.js';
import { StreamSink, type StreamLimits } from '../stream-sink.js';
import { expandName } from './results.js';
import { FollowQuery, MainFollowQuery } from './schemas.js';

// GET /api/v1/logs?names=web,workers:*&lines=10&follow=true: the recent output of one or more
// processes, then (with follow) everything they write, as NDJSON, one object per chunk:
// {"name","group","stream","data"}. GET /api/v1/daemon/log/follow does the same for the
// daemon's own log ({"name":"supervisord","group":"","stream":"main","data"}). Each channel's
// history is read and its subscription made in the same tick, so nothing written in between is
// lost or repeated. A client that stops reading is cut once its bounded queue is full
// (stream-sink.ts), with a last line {"error": {...}} saying so, instead of growing the daemon.

const DEFAULT_LINES = 10;

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
  readonly follow?: boolean | undefined;
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

const history = (channel: LogChannel, query: History): Buffer => {
  const file = channel.path;
  if (file === null || !existsSync(file)) return Buffer.alloc(0);
  channel.flush();
  if (query.bytes !== undefined)
    return query.bytes === 0 ? Buffer.alloc(0) : readLogRange(file, -query.bytes, 0);
  return readLastLines(file, query.lines ?? DEFAULT_LINES);
};

const send = (
  reply: FastifyReply,
  sources: readonly Source[],
  query: History,
  limits: StreamLimits,
): FastifyReply => {
  if (query.bytes !== undefined && query.lines !== undefined) {
    throw new TendError('VALIDATION', 'give lines or bytes, not both');
  }
  if (sources.length === 0) throw new TendError('NO_FILE', 'there is no log file to read');
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'X-Accel-Buffering': 'no' });
  const sink = new StreamSink(res, limits, farewell);
  const write = (s: Source, data: string): void => {
    if (data === '') return;
    sink.write(`${JSON.stringify({ name: s.name, group: s.group, stream: s.stream, data })}\n`);
  };
  for (const s of sources) {
    write(s, history(s.channel, query).toString('utf8'));
    if (query.follow !== true) continue;
    const decoder = new StringDecoder('utf8');
    sink.onClose(
      s.subscribe((chunk) => {
        write(s, decoder.write(chunk));
      }),
    );
  }
  if (query.follow !== true) res.end();
  else res.flushHeaders();
  return reply;
};

export const registerFollow = (
  app: FastifyInstance,
  sup: Supervisor,
  daemon: DaemonControl,
  limits: StreamLimits,
): void => {
  app.get<{ Querystring: FollowQuery }>(
    '/api/v1/logs',
    { schema: { querystring: FollowQuery } },
    (request, reply) => {
      sup.assertRunning();
      return send(reply, processSources(sup, request.query), request.query, limits);
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
      return send(reply, sources, request.query, limits);
    },
  );
};
