import type { Client } from '../client.js';
import type { Output } from '../output.js';
import {
  ExitStatus,
  errorCode,
  failureLine,
  perName,
  groupOf,
  namespecOf,
  type ResultBody,
} from '../results.js';

// `tend start|stop|restart NAME…`: as supervisorctl does it, one call per name in order (a
// `g:*` group or `all` answers per process), supervisorctl's lines (`web: started`,
// `web: ERROR (spawn error)`) and exit status; restart is stop then start.

export type Verb = 'start' | 'stop' | 'restart';

const DONE = { start: 'started', stop: 'stopped' } as const;
const IGNORED = { start: 'ALREADY_STARTED', stop: 'NOT_RUNNING' } as const;
// A missing group is a usage error for start (exit 2), a plain error for stop.
const NO_GROUP_EXIT = { start: 2, stop: 1 } as const;

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
      ctx.exit.set(NO_GROUP_EXIT[verb]);
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

export const control = async (
  client: Client,
  verb: Verb,
  names: readonly string[],
  io: Output,
): Promise<number> => {
  const exit = new ExitStatus();
  if (names.length === 0) {
    io.err(`Error: ${verb} requires a process name`);
    return verb === 'start' ? 2 : 1;
  }
  if (verb !== 'start') await run(client, 'stop', names, io, exit);
  if (verb !== 'stop') await run(client, 'start', names, io, exit);
  return exit.value;
};
