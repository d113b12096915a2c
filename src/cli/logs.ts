import { styleText } from 'node:util';
import { isTendError, type ErrorCode } from '../errors/index.js';
import { namespecOf } from '../protocol/names.js';
import { exitCode, OK, type CommandContext, type ExitCode } from './command.js';
import type { Output } from './output.js';
import { perName } from './results.js';

// `tend tail`, `tend maintail` (supervisorctl's: the last 1600 bytes, or -N bytes, or -f to
// follow) and `tend logs` (tend's: the last N lines of stdout and stderr of one process, a group
// or all, prefixed with the process name when there are several, -f to follow).

interface Chunk {
  readonly name: string;
  readonly group: string;
  readonly stream: string;
  readonly data: string;
  /** Epoch ms it arrived (null: older than the daemon's marks); absent from older daemons. */
  readonly time?: number | null;
}

const TAIL_ERRORS: Partial<Record<ErrorCode, string>> = {
  NO_FILE: 'no log file',
  FAILED: 'unknown error reading log',
  BAD_NAME: 'no such process name',
};

/**
 * Follows `path` until Ctrl-C (exit 0, as supervisorctl's). When the daemon ends the stream
 * instead, says why and exits non-zero: 69 when the daemon went away, 1 when it is still there.
 */
export const follow = async (
  ctx: CommandContext,
  path: string,
  onItem: (item: unknown) => void,
): Promise<ExitCode> => {
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  process.once('SIGINT', stop);
  try {
    await ctx.client().stream(path, onItem, controller.signal);
  } finally {
    process.off('SIGINT', stop);
  }
  if (!controller.signal.aborted) return streamEnded(ctx);
  ctx.io.out('');
  return OK;
};

const streamEnded = async (ctx: CommandContext): Promise<ExitCode> => {
  const url = ctx.client().target.url;
  try {
    const { state } = await ctx.client().call<{ state: string }>('GET', '/api/v1/daemon');
    if (state === 'RUNNING') {
      ctx.io.err(`tend: the daemon at ${url} ended the stream`);
      return exitCode('FAILED');
    }
    ctx.io.err(`tend: the daemon at ${url} is shutting down; stopped following`);
  } catch (error) {
    if (!isTendError(error) || !['UNREACHABLE', 'SHUTDOWN_STATE'].includes(error.code)) throw error;
    const why = error.code === 'UNREACHABLE' ? error.message : 'it is shutting down';
    ctx.io.err(`tend: lost the daemon (${why}); stopped following`);
  }
  return exitCode('UNREACHABLE');
};

export const query = (params: Record<string, string | number | boolean>): string =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** Prints a log's last bytes (`read`), or follows it (`followPath`) until Ctrl-C; errors as tail's. */
export const showLog = async (
  ctx: CommandContext,
  job: { who: string; follow: boolean; read: string; followPath: string },
): Promise<ExitCode> => {
  const { io } = ctx;
  try {
    if (!job.follow) {
      io.out((await ctx.client().call<{ data: string }>('GET', job.read)).data);
      return OK;
    }
    io.out('==> Press Ctrl-C to exit <==');
    return await follow(ctx, job.followPath, (c) => {
      io.write((c as Chunk).data);
    });
  } catch (error) {
    if (!perName(error)) throw error;
    io.err(`${job.who}: ERROR (${TAIL_ERRORS[error.code] ?? error.message})`);
    return exitCode('FAILED');
  }
};

const COLORS = ['cyan', 'magenta', 'blue', 'yellow', 'green'] as const;

interface Line {
  readonly who: string;
  readonly stream: string;
  readonly time: number | null;
  readonly text: string;
}

/** Cuts chunks into lines per (process, stream); a partial line waits for its end. */
const lineSplitter = (emit: (line: Line) => void) => {
  const partial = new Map<string, string>();
  return {
    push: (c: Chunk): void => {
      const who = namespecOf(c);
      const key = `${who}/${c.stream}`;
      const lines = ((partial.get(key) ?? '') + c.data).split('\n');
      partial.set(key, lines.pop() ?? '');
      for (const text of lines) emit({ who, stream: c.stream, time: c.time ?? null, text });
    },
    /** The partial lines left when a stream that does not follow ends. */
    end: (): void => {
      for (const [key, text] of partial) {
        if (text === '') continue;
        const slash = key.lastIndexOf('/');
        emit({ who: key.slice(0, slash), stream: key.slice(slash + 1), time: null, text });
      }
      partial.clear();
    },
  };
};

export interface LogsOptions {
  readonly follow: boolean;
  /** Lines of history per stream; null: 10, or all there are with since or grep. */
  readonly lines: number | null;
  readonly since: string | null;
  readonly grep: RegExp | null;
  /** Empty: both. */
  readonly streams: readonly ('stdout' | 'stderr')[];
  readonly json: boolean;
}

const DEFAULT_LINES = 10;
const ALL_LINES = 100_000;

/** How a line is printed: JSON, prefixed with whose (coloured), or as it is. */
const printer = (io: Output, options: LogsOptions) => {
  const colors = new Map<string, (typeof COLORS)[number]>();
  return (line: Line, prefixed: boolean): void => {
    if (options.grep !== null && !options.grep.test(line.text)) return;
    if (options.json) {
      const time = line.time === null ? null : new Date(line.time).toISOString();
      io.write(`${JSON.stringify({ time, name: line.who, stream: line.stream, line: line.text })}\n`);
      return;
    }
    if (!prefixed) {
      io.write(`${line.text}\n`);
      return;
    }
    if (!colors.has(line.who)) colors.set(line.who, COLORS[colors.size % COLORS.length] ?? 'cyan');
    const label = io.color ? styleText(colors.get(line.who) ?? 'cyan', `${line.who} |`) : `${line.who} |`;
    io.write(`${label} ${line.text}\n`);
  };
};

/** History asked of the daemon: with grep all of it (filtered here), else the last `lines`. */
const logsPath = (names: readonly string[], options: LogsOptions): string => {
  const lines =
    options.grep !== null ? ALL_LINES : (options.lines ?? (options.since === null ? DEFAULT_LINES : null));
  return `/api/v1/logs?${query({
    names: names.join(','),
    ...(lines === null ? {} : { lines }),
    ...(options.since === null ? {} : { since: options.since }),
    ...(options.streams.length === 1 ? { streams: options.streams[0] ?? 'stdout' } : {}),
    follow: options.follow,
    historyEnd: true,
  })}`;
};

/** The last `n` lines of each stream (with grep, of the matching ones). */
const lastPerStream = (lines: readonly Line[], n: number): Line[] => {
  const left = new Map<string, number>();
  const kept: Line[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line === undefined) continue;
    const key = `${line.who}/${line.stream}`;
    const room = left.get(key) ?? n;
    if (room === 0) continue;
    left.set(key, room - 1);
    kept.push(line);
  }
  return kept.reverse();
};

interface Item {
  readonly historyEnd?: boolean;
}

/**
 * Reads the NDJSON stream: history lines are held until the daemon says the history is over (so
 * grep can keep the last matching ones), then printed; what follows is printed as it comes.
 */
const reader = (io: Output, names: readonly string[], options: LogsOptions) => {
  const only = names.length === 1 ? (names[0] ?? 'all') : 'all';
  const single = only !== 'all' && !/:\*?$/.test(only);
  const asIs = (c: Chunk): boolean => single && (only.includes(':') || c.group === c.name);
  const raw = options.grep === null && !options.json;
  const print = printer(io, options);
  const prefixedOf = new Map<string, boolean>();
  let live = false;
  const history: Line[] = [];
  const emit = (line: Line): void => {
    if (live) print(line, prefixedOf.get(line.who) ?? true);
    else history.push(line);
  };
  const splitter = lineSplitter(emit);
  const endHistory = (): void => {
    const shown = options.grep === null ? history : history.filter((l) => options.grep?.test(l.text));
    const kept = options.grep === null ? shown : lastPerStream(shown, options.lines ?? DEFAULT_LINES);
    for (const line of kept) print(line, prefixedOf.get(line.who) ?? true);
    history.length = 0;
    live = true;
  };
  return {
    each: (item: unknown): void => {
      const c = item as Chunk;
      if ((item as Item).historyEnd === true) endHistory();
      // One process as it is: its bytes, in order, with no need to hold the history.
      else if (raw && asIs(c)) io.write(c.data);
      else {
        prefixedOf.set(namespecOf(c), !asIs(c));
        splitter.push(c);
      }
    },
    end: (): void => {
      if (!live) endHistory();
      splitter.end();
    },
  };
};

/** `tend logs`: one process's output as it is; several processes' lines prefixed with whose. */
export const showLogs = async (
  ctx: CommandContext,
  names: readonly string[],
  options: LogsOptions,
): Promise<ExitCode> => {
  const { io } = ctx;
  const path = logsPath(names, options);
  const r = reader(io, names, options);
  try {
    if (options.follow) return await follow(ctx, path, r.each);
    await ctx.client().stream(path, r.each);
    r.end();
    return OK;
  } catch (error) {
    if (!perName(error)) throw error;
    io.err(`${names.join(', ')}: ERROR (${TAIL_ERRORS[error.code] ?? error.message})`);
    return exitCode('FAILED');
  }
};
