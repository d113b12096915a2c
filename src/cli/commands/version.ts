import { OK, type ArgumentSpec, type CommandContext, type ExitCode, type OptionSpec } from '../command.js';

export const name = 'version';
export const aliases: readonly string[] = [];
export const summary = "the daemon's tend version";
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [];
export const details = `The daemon's tend version (\`tend --version\` is this client's).`;

export const run = async (ctx: CommandContext): Promise<ExitCode> => {
  ctx.io.out((await ctx.client().call<{ version: string }>('GET', '/api/v1/daemon')).version);
  return OK;
};
