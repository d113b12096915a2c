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

/** Writes chunks as lines prefixed with `name | `; a partial line waits for its end. */
const prefixer = (io: Output) => {
  const partial = new Map<string, string>();
  const colors = new Map<string, (typeof COLORS)[number]>();
  return (c: Chunk): void => {
    const who = namespecOf(c);
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

/** `tend logs`: one process's output as it is; several processes' lines prefixed with whose. */
export const showLogs = async (
  ctx: CommandContext,
  names: readonly string[],
  options: LogsOptions,
): Promise<ExitCode> => {
  const { io } = ctx;
  const only = names.length === 1 ? (names[0] ?? 'all') : 'all';
  const single = only !== 'all' && !/:\*?$/.test(only);
  const path = `/api/v1/logs?${query({ names: names.join(','), lines: options.lines, follow: options.follow })}`;
  const prefixed = prefixer(io);
  const each = (item: unknown): void => {
    const c = item as Chunk;
    if (single && (only.includes(':') || c.group === c.name)) io.write(c.data);
    else prefixed(c);
  };
  try {
    if (options.follow) return await follow(ctx, path, each);
    await ctx.client().stream(path, each);
    return OK;
  } catch (error) {
    if (!perName(error)) throw error;
    io.err(`${names.join(', ')}: ERROR (${TAIL_ERRORS[error.code] ?? error.message})`);
    return exitCode('FAILED');
  }
};
