import type { ErrorCode } from '../errors/index.js';
import { namespecOf } from '../protocol/names.js';
import type { Client } from './client.js';
import type { CommandContext, ExitCode } from './command.js';
import type { Output } from './output.js';
import {
  ExitStatus,
  errorCode,
  failureLine,
  perName,
  groupOf,
  supervisorctlUsage,
  type ResultBody,
} from './results.js';

// `tend start|stop|restart NAME…`: as supervisorctl does it, one call per name in order (a
// `g:*` group or `all` answers per process), supervisorctl's lines (`web: started`,
// `web: ERROR (spawn error)`) and exit status; restart is stop then start.

export type Verb = 'start' | 'stop' | 'restart';

const DONE = { start: 'started', stop: 'stopped' } as const;
const IGNORED = { start: 'ALREADY_STARTED', stop: 'NOT_RUNNING' } as const;
// A missing group is a usage error for start (exit 2), a plain error for stop, as in supervisorctl.
const NO_GROUP: Record<'start' | 'stop', ErrorCode> = { start: 'USAGE', stop: 'FAILED' };

const one = async (
  client: Client,
  verb: 'start' | 'stop',
  name: string,
  ctx: { io: Output; exit: ExitStatus },
): Promise<void> => {
  try {
    const { results } = await client.call<{ results: ResultBody[] }>(
      'POST',
      `/api/v1/processes/${encodeURIComponent(name)}/${verb}`,
    );
    for (const r of results) {
      if (r.ok) ctx.io.out(`${namespecOf(r)}: ${DONE[verb]}`);
      else {
        failureLine(namespecOf(r), errorCode(r), r.error?.message ?? '', ctx.io);
        ctx.exit.fail(errorCode(r), IGNORED[verb]);
      }
    }
  } catch (error) {
    if (!perName(error)) throw error;
    const group = groupOf(name);
    if (group !== null && error.code === 'BAD_NAME') {
      ctx.io.err(`${group}: ERROR (no such group)`);
      ctx.exit.set(NO_GROUP[verb]);
      return;
    }
    failureLine(name, error.code, error.message, ctx.io);
    ctx.exit.fail(error.code, IGNORED[verb]);
  }
};

const run = async (
  client: Client,
  verb: 'start' | 'stop',
  names: readonly string[],
  io: Output,
  exit: ExitStatus,
) => {
  const targets = names.includes('all') ? ['all'] : names;
  for (const name of targets) await one(client, verb, name, { io, exit });
};

/**
 * `start|stop|restart NAME…`. Without a name, supervisorctl's line and exit status (2 for start,
 * 1 for the others), with tend's --help hint, before anything is sent.
 */
export const control = async (
  ctx: CommandContext,
  verb: Verb,
  names: readonly string[],
): Promise<ExitCode> => {
  if (names.length === 0) {
    return supervisorctlUsage(ctx.io, verb, 'requires a process name', verb === 'start' ? 'USAGE' : 'FAILED');
  }
  const exit = new ExitStatus();
  const client = ctx.client();
  if (verb !== 'start') await run(client, 'stop', names, ctx.io, exit);
  if (verb !== 'stop') await run(client, 'start', names, ctx.io, exit);
  return exit.value;
};
