import { TendError } from '../../errors/index.js';
import {
  exitCode,
  OK,
  type ArgumentSpec,
  type CommandContext,
  type ExitCode,
  type OptionSpec,
} from '../command.js';

export const name = 'reload';
export const aliases: readonly string[] = [];
export const summary = 'restart the daemon: stop everything, read the config, start again (same pid)';
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [];
export const details = `supervisord's restart: every program stops, the config file is read again, everything that
autostarts starts; the daemon keeps its pid. \`Restarted supervisord\`. A broken config file is
reported and nothing stops. (\`kill -HUP\` instead applies the file by difference.) Like a reload,
it applies programs and groups; the daemon's own settings (\`[supervisord]\` logfile, loglevel,
pidfile…, \`[unix_http_server]\`, \`[inet_http_server]\`) take effect when the daemon is started again,
and a changed one is named in a warning.`;

export const run = async (ctx: CommandContext): Promise<ExitCode> => {
  try {
    await ctx.client().call('POST', '/api/v1/daemon/restart');
    ctx.io.out('Restarted supervisord');
    return OK;
  } catch (error) {
    if (!(error instanceof TendError) || !['SHUTDOWN_STATE', 'CANT_REREAD'].includes(error.code)) throw error;
    ctx.io.err(error.code === 'SHUTDOWN_STATE' ? 'ERROR: already shutting down' : `ERROR: ${error.message}`);
    return exitCode('FAILED');
  }
};
