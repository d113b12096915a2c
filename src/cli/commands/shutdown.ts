import { TendError } from '../../errors/index.js';
import {
  exitCode,
  OK,
  type ArgumentSpec,
  type CommandContext,
  type ExitCode,
  type OptionSpec,
} from '../command.js';

export const name = 'shutdown';
export const aliases: readonly string[] = [];
export const summary = 'stop every program and the daemon';
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [];
export const details = `Stops every program and the daemon: \`Shut down\`; \`ERROR: … (already shut down?)\` exits 1.`;

export const run = async (ctx: CommandContext): Promise<ExitCode> => {
  try {
    await ctx.client().call('POST', '/api/v1/daemon/shutdown');
    ctx.io.out('Shut down');
    return OK;
  } catch (error) {
    if (!(error instanceof TendError)) throw error;
    if (error.code === 'SHUTDOWN_STATE') {
      ctx.io.err('ERROR: already shutting down');
      return OK;
    }
    if (error.code !== 'UNREACHABLE') throw error;
    ctx.io.err(`ERROR: ${error.message} (already shut down?)`);
    return exitCode('FAILED');
  }
};
