import { TendError, type ErrorCode } from '../errors/index.js';
import type { CommandContext, ExitCode } from './command.js';
import { ExitStatus } from './results.js';

// `tend add|remove GROUP…`, with supervisorctl's lines.

const GROUP_ERRORS: Partial<Record<ErrorCode, (name: string) => string>> = {
  ALREADY_ADDED: () => 'ERROR: process group already active',
  BAD_NAME: (name) => `ERROR: no such process/group: ${name}`,
  STILL_RUNNING: (name) => `ERROR: process/group still running: ${name}`,
  SHUTDOWN_STATE: () => 'ERROR: shutting down',
};

export const changeGroups = async (
  ctx: CommandContext,
  verb: 'add' | 'remove',
  names: readonly string[],
): Promise<ExitCode> => {
  const exit = new ExitStatus();
  for (const group of names) {
    try {
      const path = `/api/v1/groups/${encodeURIComponent(group)}`;
      await ctx.client().call(verb === 'add' ? 'POST' : 'DELETE', path);
      ctx.io.out(`${group}: ${verb === 'add' ? 'added' : 'removed'} process group`);
    } catch (error) {
      const line = error instanceof TendError ? GROUP_ERRORS[error.code] : undefined;
      if (line === undefined || !(error instanceof TendError)) throw error;
      ctx.io.err(line(group));
      exit.fail(error.code, 'ALREADY_ADDED');
    }
  }
  return exit.value;
};
