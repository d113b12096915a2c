import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TendError } from '../../errors/index.js';
import type { Resume, TendEvent } from '../../events/index.js';
import type { Supervisor } from '../../supervisor/index.js';
import { StreamSink, type StreamLimits } from '../stream-sink.js';
import type { EventHub } from './hub.js';
import { parseNames, parseTypes } from './filter.js';

// GET /api/v1/events: the bus as Server-Sent Events, one SSE event per bus event (`event:` its
// type, `id:` INSTANCE-SERIAL, `data:` its JSON). A client that reconnects with Last-Event-ID
// gets what it missed from the history; what the history no longer has, or a Last-Event-ID of
// an earlier daemon, is announced with an explicit STREAM_GAP event, never skipped silently.
// `history=N` starts with the last N matching events, `follow=false` ends after them. A comment
// every 15 s keeps proxies from closing a quiet stream. The history is replayed and the live
// subscription made in one synchronous step, so nothing falls between them.

export const EventsQuery = Type.Object(
  {
    names: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    types: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    history: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    follow: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type EventsQuery = Static<typeof EventsQuery>;

export const KEEPALIVE_MS = 15_000;

const farewell = (why: string): string => `event: STREAM_CUT\ndata: ${JSON.stringify({ reason: why })}\n\n`;

interface Resumed extends Resume {
  /** The Last-Event-ID came from an earlier daemon: everything since its start may be missing. */
  readonly restarted: boolean;
}

/** The resume point a Last-Event-ID asks for: `null` without one. */
const resumeFrom = (hub: EventHub, header: string | string[] | undefined): Resumed | null => {
  if (header === undefined) return null;
  const match = /^([0-9a-f]{8})-(\d{0,15})$/.exec(String(header).trim());
  if (match === null) throw new TendError('VALIDATION', 'Last-Event-ID is not an id of this stream');
  if (match[1] !== hub.instance) return { ...hub.history.fromStart(), restarted: true };
  // `INSTANCE-` (no serial): from the start of this daemon.
  return { ...hub.history.since(match[2] === '' ? -1 : Number(match[2])), restarted: false };
};

const gapFrame = (hub: EventHub, resume: Resumed): string => {
  const lost = resume.lost;
  if (lost === null && !resume.restarted) return '';
  const data = resume.restarted
    ? {
        reason: 'restart',
        message: 'the daemon restarted since that event; what happened in between is not kept',
      }
    : { reason: 'history', from: lost?.from, to: lost?.to, message: 'these events are no longer kept' };
  // The id says "the client has been told up to here": the serial before the first replayed event.
  const before = (resume.events[0]?.serial ?? hub.bus.nextSerial) - 1;
  const id = before < 0 ? `${hub.instance}-` : hub.idOf(before);
  return `event: STREAM_GAP\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
};

interface Stream {
  readonly hub: EventHub;
  readonly sink: StreamSink;
  readonly match: (e: TendEvent) => boolean;
}

const replay = (s: Stream, resume: Resumed | null, history: number | undefined): void => {
  const earlier = resume?.events ?? (history === undefined ? [] : s.hub.history.all());
  const matching = earlier.filter(s.match);
  if (resume !== null) s.sink.write(gapFrame(s.hub, resume));
  for (const event of history === undefined ? matching : matching.slice(-history || matching.length)) {
    s.sink.write(s.hub.frame(event));
  }
};

const follow = (s: Stream, types: ReturnType<typeof parseTypes>): void => {
  const { hub, sink } = s;
  const unsubscribe = hub.bus.onAny(types, (event) => {
    if (s.match(event)) sink.write(hub.frame(event));
  });
  const keepalive = setInterval(() => sink.write(': keep-alive\n\n'), KEEPALIVE_MS);
  hub.clients += 1;
  sink.onClose(() => {
    unsubscribe();
    clearInterval(keepalive);
    hub.clients -= 1;
  });
};

const open = (reply: FastifyReply, hub: EventHub, limits: StreamLimits): StreamSink => {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
  });
  const sink = new StreamSink(res, limits, farewell);
  sink.write(`retry: 2000\n: tend events ${hub.instance}\n\n`);
  return sink;
};

export const registerEvents = (
  app: FastifyInstance,
  sup: Supervisor,
  hub: EventHub,
  limits: StreamLimits,
): void => {
  app.get<{ Querystring: EventsQuery }>(
    '/api/v1/events',
    { schema: { querystring: EventsQuery } },
    (request, reply) => {
      const { query } = request;
      const types = parseTypes(query.types);
      const match = parseNames(sup, query.names);
      const resume = resumeFrom(hub, request.headers['last-event-id']);
      const following = query.follow !== false;
      if (following && hub.clients >= hub.maxClients) {
        throw new TendError('STREAM_LIMIT', `at most ${hub.maxClients} event streams at once`);
      }
      const wanted = new Set(types);
      const stream = {
        hub,
        sink: open(reply, hub, limits),
        match: (e: TendEvent) => wanted.has(e.type) && match(e),
      };
      replay(stream, resume, query.history ?? (following ? undefined : Infinity));
      if (following) follow(stream, types);
      else reply.raw.end();
      return reply;
    },
  );
};
