import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { FastifyInstance } from 'fastify';
import { TendError } from '../../errors/index.js';
import { readLastLines, readLogRange, type LogChannel, type StreamName } from '../../logs/index.js';
import type { Supervisor, Target } from '../../supervisor/index.js';
import { expandName } from './results.js';
import { FollowQuery } from './schemas.js';

// GET /api/v1/logs?names=web,workers:*&lines=10&follow=true: the recent output of one or more
// processes, then (with follow) everything they write, as NDJSON, one object per chunk:
// {"name","group","stream","data"}. Each channel's history is read and its subscription made in
// the same tick, so nothing written in between is lost or repeated. Backpressure as /logtail.

const MAX_BUFFERED = 4 * 1024 * 1024;
const DEFAULT_LINES = 10;

interface Source {
  readonly target: Target;
  readonly stream: StreamName;
  readonly channel: LogChannel;
}

const sources = (sup: Supervisor, query: FollowQuery): Source[] => {
  const streams = (query.streams ?? 'stdout,stderr').split(',') as StreamName[];
  const seen = new Set<string>();
  const out: Source[] = [];
  for (const raw of query.names.split(',')) {
    const name = expandName(sup, raw.trim());
    const targets = name === 'all' ? sup.targets() : sup.resolve(name).targets;
    for (const target of targets) {
      for (const stream of streams) {
        const key = `${target.namespec}/${stream}`;
        if (seen.has(key) || target.entry[stream].path === null) continue;
        seen.add(key);
        out.push({ target, stream, channel: target.entry[stream] });
      }
    }
  }
  return out;
};

const history = (channel: LogChannel, query: FollowQuery): Buffer => {
  const file = channel.path;
  if (file === null || !existsSync(file)) return Buffer.alloc(0);
  channel.flush();
  if (query.bytes !== undefined)
    return query.bytes === 0 ? Buffer.alloc(0) : readLogRange(file, -query.bytes, 0);
  return readLastLines(file, query.lines ?? DEFAULT_LINES);
};

export const registerFollow = (app: FastifyInstance, sup: Supervisor): void => {
  app.get<{ Querystring: FollowQuery }>(
    '/api/v1/logs',
    { schema: { querystring: FollowQuery } },
    (request, reply) => {
      sup.assertRunning();
      if (request.query.bytes !== undefined && request.query.lines !== undefined) {
        throw new TendError('VALIDATION', 'give lines or bytes, not both');
      }
      const list = sources(sup, request.query);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'application/x-ndjson; charset=utf-8',
        'X-Accel-Buffering': 'no',
      });
      const line = (s: Source, data: string): void => {
        if (data === '' || res.writableLength > MAX_BUFFERED) return;
        const { name, group } = s.target.entry.proc.config;
        res.write(`${JSON.stringify({ name, group, stream: s.stream, data })}\n`);
      };
      const unsubscribe: (() => void)[] = [];
      for (const s of list) {
        line(s, history(s.channel, request.query).toString('utf8'));
        if (request.query.follow !== true) continue;
        const decoder = new StringDecoder('utf8');
        unsubscribe.push(
          s.channel.subscribe((chunk) => {
            line(s, decoder.write(chunk));
          }),
        );
      }
      if (request.query.follow !== true) {
        res.end();
        return reply;
      }
      res.flushHeaders();
      res.on('close', () => {
        for (const u of unsubscribe) u();
      });
      return reply;
    },
  );
};
