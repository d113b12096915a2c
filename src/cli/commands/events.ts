import type { IncomingMessage } from 'node:http';
import {
  exitCode,
  flag,
  OK,
  text,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { wholeNumber } from '../parse.js';

// `tend events [-f] [--json] [-n N] [--types T] [NAME…]`: the daemon's events (GET
// /api/v1/events), one line each: the recent ones, then with -f every new one until Ctrl-C.
// --json prints each event's JSON as it comes (NDJSON). A stream the daemon ends (it stops, or
// cut this client for reading too slowly) is said on stderr and ends with a non-zero code.

export const name = 'events';
export const aliases: readonly string[] = [];
export const summary =
  "the daemon's events (states, restarts, health…): the recent ones, or follow them with -f";
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'NAME, GROUP or GROUP:NAME (default: all)', variadic: true },
];
export const options: readonly OptionSpec[] = [
  { flags: '-f, --follow', description: 'keep printing new events (Ctrl-C to stop)' },
  { flags: '--json', description: 'print each event as a JSON object' },
  {
    flags: '-n, --lines <n>',
    description: 'recent events to show first',
    default: '10',
    parse: wholeNumber('events', '--lines', 100_000),
  },
  {
    flags: '--types <types>',
    description: 'event types, comma-separated: PROCESS_STATE, PROCESS_RESTART, EVENT…',
  },
];
export const details = `The daemon's events from \`GET /api/v1/events\` (see [events.md](events.md)), one line
each: the last N (default 10), then with \`-f\` every new one until Ctrl-C. \`--json\` prints each
event's JSON as it comes (NDJSON). \`--types\` takes event types and their parents as
\`events=\` does. Names filter by program or group. Lost events are said on stderr. A stream the
daemon ends (it stops, or cut this client for reading too slowly) is said on stderr and exits 69.`;

interface EventsOptions {
  readonly follow: boolean;
  readonly json: boolean;
  readonly lines: number;
  readonly types: string | null;
}

/** An event as the stream carries it; the fields depend on its type. */
interface WireEvent {
  readonly type: string;
  readonly serial: number;
  readonly time: number;
  readonly [field: string]: unknown;
}

interface Frame {
  readonly event: string;
  readonly data: string;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The daemon log's timestamp: local time, `YYYY-MM-DD HH:MM:SS,mmm`. */
const stamp = (ms: number): string => {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`
  );
};

const str = (e: WireEvent, key: string): string => {
  const value = e[key];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
};

const who = (e: WireEvent): string => {
  const group = str(e, 'group');
  const name = str(e, 'name');
  return name === '' || name === group ? group : `${group}:${name}`;
};

const stateText = (e: WireEvent): string => {
  const parts = [`${str(e, 'from')} -> ${str(e, 'to')}`];
  if (e.pid !== 0) parts.push(`pid ${str(e, 'pid')}`);
  if (e.to === 'EXITED')
    parts.push(`exit status ${str(e, 'exitStatus')}, ${e.expected === true ? '' : 'not '}expected`);
  if (e.to === 'BACKOFF' || e.to === 'STARTING') parts.push(`tries ${str(e, 'tries')}`);
  if (str(e, 'spawnerr') !== '' && e.to !== 'RUNNING') parts.push(str(e, 'spawnerr'));
  return parts.join(', ');
};

const alertWhat = (e: WireEvent): string => {
  const programs = Array.isArray(e.programs) ? e.programs.filter((p) => typeof p === 'string') : [];
  return e.events === 0
    ? 'test message'
    : `${str(e, 'events')} events${programs.length === 0 ? '' : ` about ${programs.join(', ')}`}`;
};

const TEXT: Readonly<Record<string, (e: WireEvent) => string>> = {
  REMOTE_COMMUNICATION: (e) => `type ${str(e, 'remoteType')}: ${str(e, 'data')}`,
  SUPERVISOR_STATE_CHANGE_RUNNING: (e) => `daemon ${str(e, 'state')}`,
  SUPERVISOR_STATE_CHANGE_STOPPING: (e) => `daemon ${str(e, 'state')}`,
  PROCESS_GROUP_ADDED: (e) => str(e, 'group'),
  PROCESS_GROUP_REMOVED: (e) => str(e, 'group'),
  PROCESS_HEALTH_HEALTHY: (e) => `${who(e)} ${str(e, 'check')}`,
  PROCESS_HEALTH_UNHEALTHY: (e) =>
    `${who(e)} ${str(e, 'check')}: ${str(e, 'detail')} (${str(e, 'failures')} in a row)`,
  PROCESS_READY: (e) =>
    `${who(e)} pid ${str(e, 'pid')} ready (${str(e, 'ready')}) after ${str(e, 'startupMs')} ms`,
  PROCESS_RESTART: (e) => `${who(e)} ${str(e, 'reason')}: ${str(e, 'detail')}`,
  PROCESS_FLAP_GUARD: (e) =>
    `${who(e)} ${str(e, 'restarts')} restarts within ${str(e, 'windowSecs')}s (restart_limit = ${str(e, 'limit')})`,
  ALERT_SENT: (e) => `${str(e, 'alert')} by ${str(e, 'via')}: ${alertWhat(e)}`,
  ALERT_FAILED: (e) =>
    `${str(e, 'alert')} by ${str(e, 'via')}: ${alertWhat(e)} lost after ${str(e, 'attempts')} attempts: ${str(e, 'error')}`,
  ...Object.fromEntries(
    ['ROLLOUT_STARTED', 'ROLLOUT_STEP', 'ROLLOUT_SUCCEEDED', 'ROLLOUT_FAILED', 'ROLLOUT_ABORTED'].map(
      (type) => [
        type,
        (e: WireEvent) =>
          `${str(e, 'group')}:${str(e, 'program')} rollout ${str(e, 'rollout')} (${str(e, 'cause')}) ${str(e, 'done')}/${str(e, 'total')}: ${str(e, 'detail')}`,
      ],
    ),
  ),
  LOG_BYTES_DROPPED: (e) =>
    `${who(e)} ${str(e, 'channel')} log ${str(e, 'path')}: ` +
    (e.phase === 'recovered'
      ? `writable again, ${str(e, 'droppedBytes')} bytes (${str(e, 'droppedLines')} lines) dropped`
      : e.phase === 'dropping'
        ? `still cannot write (${str(e, 'error')}), dropping its oldest held lines`
        : `cannot write (${str(e, 'error')}), holding output`),
};

/** One line for an event: time, type, what it says. */
export const describeEvent = (e: WireEvent): string => {
  const text = e.type.startsWith('PROCESS_STATE_')
    ? `${who(e)} ${stateText(e)}`
    : e.type.startsWith('PROCESS_LOG_') || e.type.startsWith('PROCESS_COMMUNICATION_')
      ? `${who(e)} ${str(e, 'data').replace(/\n$/, '')}`
      : e.type.startsWith('TICK_')
        ? `when ${str(e, 'when')}`
        : (TEXT[e.type]?.(e) ?? '');
  return `${stamp(e.time)} ${e.type} ${text}`;
};

/** Reads SSE frames from a response until it ends. */
const readFrames = (res: IncomingMessage, onFrame: (frame: Frame) => void): Promise<void> =>
  new Promise((resolve) => {
    let pending = '';
    let event = 'message';
    let data: string[] = [];
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) onFrame({ event, data: data.join('\n') });
          event = 'message';
          data = [];
        } else if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
    });
    res.on('end', resolve);
    res.on('close', resolve);
    res.on('error', () => {
      resolve();
    });
  });

const query = (names: readonly string[], options: EventsOptions): string => {
  const params = new URLSearchParams({ history: String(options.lines), follow: String(options.follow) });
  if (names.length > 0) params.set('names', names.join(','));
  if (options.types !== null) params.set('types', options.types);
  return `/api/v1/events?${params.toString()}`;
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const types = text(input, 'types');
  const options: EventsOptions = {
    follow: flag(input, 'follow'),
    json: flag(input, 'json'),
    lines: input.options.lines as number,
    types: types === '' ? null : types,
  };
  const { io } = ctx;
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  process.once('SIGINT', stop);
  const ended: { cut: string | null } = { cut: null };
  try {
    const res = await ctx.client().open(query(input.args, options), controller.signal);
    await readFrames(res, ({ event, data }) => {
      if (event === 'STREAM_GAP' || event === 'STREAM_CUT') {
        const said = (JSON.parse(data) as { message?: string; reason?: string }).message ?? '';
        if (event === 'STREAM_CUT') ended.cut = (JSON.parse(data) as { reason: string }).reason;
        else io.err(`tend: some events were lost (${said})`);
        return;
      }
      io.out(options.json ? data : describeEvent(JSON.parse(data) as WireEvent));
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    process.off('SIGINT', stop);
  }
  if (controller.signal.aborted || !options.follow) return OK;
  io.err(`tend: the daemon ended the event stream${ended.cut === null ? '' : `: ${ended.cut}`}`);
  return exitCode('UNREACHABLE');
};
