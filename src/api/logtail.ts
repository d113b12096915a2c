import { statSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readLogRange, type LogChannel, type StreamName } from '../logs/index.js';
import { splitNamespec, type Supervisor } from '../supervisor/index.js';
import type { DaemonControl } from './daemon-control.js';
import { StreamSink, type StreamLimits } from './stream-sink.js';

// GET /logtail/<namespec>[/stdout|stderr] and GET /mainlogtail: the never-ending chunked streams
// behind `supervisorctl tail -f`, `maintail -f` and `fg`. As in supervisord they begin with the
// last 1024 bytes of the file and 404 when the process, its log or the file is missing. Instead
// of polling the file, they subscribe to the log channel, so bytes arrive as they are written and
// a rotation changes nothing. A client that stops reading is cut once its bounded queue is full
// (stream-sink.ts), with a last line saying so, instead of growing the daemon's memory.

const HEAD_BYTES = 1024;

const notFound = (reply: FastifyReply): FastifyReply =>
  reply.status(404).type('text/plain').send('404 Not Found\n');

type Subscribe = (listener: (chunk: Buffer) => void) => () => void;

const farewell = (why: string): string => `\n==> tend: ${why}; disconnected <==\n`;

const follow = (
  reply: FastifyReply,
  stream: { readonly channel: LogChannel; readonly subscribe: Subscribe; readonly limits: StreamLimits },
  extra: Record<string, string>,
): void => {
  const { channel, subscribe } = stream;
  const file = channel.path ?? '';
  channel.flush();
  const head = readLogRange(file, -HEAD_BYTES, 0);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Last-Modified': new Date(statSync(file).mtimeMs).toUTCString(),
    'Content-Type': 'text/plain;charset=utf-8',
    ...extra,
  });
  res.flushHeaders();
  const sink = new StreamSink(res, stream.limits, farewell);
  if (head.length > 0) sink.write(head);
  sink.onClose(
    subscribe((chunk) => {
      sink.write(chunk);
    }),
  );
};

const existing = (channel: LogChannel | null | undefined): string | null => {
  const file = channel?.path ?? null;
  if (file === null) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
};

interface Tail {
  readonly namespec: string;
  readonly stream: StreamName;
  readonly channel: LogChannel;
}

/** `/logtail/g:name/stderr` → the process's channel, or undefined (supervisord's 404 rules). */
const tailFor = (sup: Supervisor, url: string): Tail | undefined => {
  let path = url.split('?')[0] ?? '';
  if (path.includes('%')) path = decodeURIComponent(path);
  const rest = path.replace(/^\/+/, '').split('/').slice(1).join('/');
  const slash = rest.indexOf('/');
  const namespec = slash < 0 ? rest : rest.slice(0, slash);
  const stream = slash < 0 ? 'stdout' : rest.slice(slash + 1);
  const { group, process } = splitNamespec(namespec);
  const entry = process === null ? undefined : sup.group(group)?.processes.get(process);
  if (entry === undefined || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  return { namespec, stream, channel: entry[stream] };
};

export const registerLogtail = (
  app: FastifyInstance,
  sup: Supervisor,
  daemon: DaemonControl,
  limits: StreamLimits,
): void => {
  app.get('/logtail/*', (request, reply) => {
    let tail: Tail | undefined;
    try {
      tail = tailFor(sup, request.url);
    } catch {
      tail = undefined;
    }
    if (tail === undefined || existing(tail.channel) === null) return notFound(reply);
    const { namespec, stream } = tail;
    const subscribe: Subscribe = (listener) => sup.followOutput(namespec, stream, listener);
    follow(reply, { channel: tail.channel, subscribe, limits }, { 'X-Accel-Buffering': 'no' });
    return reply;
  });
  app.get('/mainlogtail', (_request, reply) => {
    const main = daemon.mainLog;
    if (main === null || existing(main) === null) return notFound(reply);
    follow(reply, { channel: main, subscribe: (listener) => main.subscribe(listener), limits }, {});
    return reply;
  });
};
