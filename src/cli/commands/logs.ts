import { styleText } from 'node:util';
import type { ErrorCode } from '../../errors/index.js';
import type { Client } from '../client.js';
import type { Output } from '../output.js';
import { perName } from '../results.js';

// `tend tail`, `tend maintail` (supervisorctl's: the last 1600 bytes, or -N bytes, or -f to
// follow) and `tend logs` (tend's: the last N lines of stdout and stderr of one process, a group
// or all, prefixed with the process name when there are several, -f to follow).

interface Chunk {
  readonly name: string;
  readonly group: string;
  readonly stream: string;
  readonly data: string;
}

export interface TailOptions {
  readonly follow: boolean;
  readonly bytes: number;
}

const TAIL_ERRORS: Partial<Record<ErrorCode, string>> = {
  NO_FILE: 'no log file',
  FAILED: 'unknown error reading log',
  BAD_NAME: 'no such process name',
};

/** Follows until Ctrl-C: the stream is aborted and the command ends cleanly, as supervisorctl's. */
const untilInterrupted = async (io: Output, run: (signal: AbortSignal) => Promise<void>): Promise<void> => {
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
  };
  process.once('SIGINT', stop);
  try {
    await run(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    if (controller.signal.aborted) io.out('');
  }
};

const query = (params: Record<string, string | number | boolean>): string =>
  new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** Prints a log's last bytes (`read`), or follows it (`follow`) until Ctrl-C; errors as tail's. */
const showLog = async (
  client: Client,
  io: Output,
  job: { who: string; follow: boolean; read: string; followPath: string },
): Promise<number> => {
  try {
    if (!job.follow) {
      io.out((await client.call<{ data: string }>('GET', job.read)).data);
      return 0;
    }
    io.out('==> Press Ctrl-C to exit <==');
    const write = (c: unknown): void => {
      io.write((c as Chunk).data);
    };
    await untilInterrupted(io, (signal) => client.stream(job.followPath, write, signal));
    return 0;
  } catch (error) {
    if (!perName(error)) throw error;
    io.err(`${job.who}: ERROR (${TAIL_ERRORS[error.code] ?? error.message})`);
    return 1;
  }
};

export const tail = async (
  client: Client,
  name: string,
  stream: string,
  options: TailOptions,
  io: Output,
): Promise<number> => {
  if (stream !== 'stdout' && stream !== 'stderr') {
    io.err(`Error: bad channel '${stream}'`);
    return 1;
  }
  return showLog(client, io, {
    who: name,
    follow: options.follow,
    read: `/api/v1/processes/${encodeURIComponent(name)}/logs/${stream}?offset=${-options.bytes}&length=0`,
    followPath: `/api/v1/logs?${query({ names: name, streams: stream, bytes: 1024, follow: true })}`,
  });
};

export const maintail = (client: Client, options: TailOptions, io: Output): Promise<number> =>
  showLog(client, io, {
    who: 'supervisord',
    follow: options.follow,
    read: `/api/v1/daemon/log?offset=${-options.bytes}&length=0`,
    followPath: `/api/v1/daemon/log/follow?${query({ bytes: 1024, follow: true })}`,
  });

const COLORS = ['cyan', 'magenta', 'blue', 'yellow', 'green'] as const;

/** Writes chunks as lines prefixed with `name | `; a partial line waits for its end. */
const prefixer = (io: Output) => {
  const partial = new Map<string, string>();
  const colors = new Map<string, (typeof COLORS)[number]>();
  return (c: Chunk): void => {
    const who = c.group === c.name ? c.name : `${c.group}:${c.name}`;
    const key = `${who}/${c.stream}`;
    const lines = ((partial.get(key) ?? '') + c.data).split('\n');
    partial.set(key, lines.pop() ?? '');
    if (!colors.has(who)) colors.set(who, COLORS[colors.size % COLORS.length] ?? 'cyan');
    const label = io.color ? styleText(colors.get(who) ?? 'cyan', `${who} |`) : `${who} |`;
    for (const line of lines) io.write(`${label} ${line}\n`);
  };
};

export interface LogsOptions {
  readonly follow: boolean;
  readonly lines: number;
}

export const logs = async (
  client: Client,
  names: readonly string[],
  options: LogsOptions,
  io: Output,
): Promise<number> => {
  const only = names.length === 1 ? (names[0] ?? 'all') : 'all';
  // One process asked for by name: its output as it is. Several: each line says whose it is.
  const single = only !== 'all' && !/:\*?$/.test(only);
  const path = `/api/v1/logs?${query({ names: names.join(','), lines: options.lines, follow: options.follow })}`;
  try {
    const prefixed = prefixer(io);
    const each = (item: unknown): void => {
      const c = item as Chunk;
      if (single && (only.includes(':') || c.group === c.name)) io.write(c.data);
      else prefixed(c);
    };
    if (options.follow) await untilInterrupted(io, (signal) => client.stream(path, each, signal));
    else await client.stream(path, each);
    return 0;
  } catch (error) {
    if (!perName(error)) throw error;
    io.err(`${names.join(', ')}: ERROR (${TAIL_ERRORS[error.code] ?? error.message})`);
    return 1;
  }
};
