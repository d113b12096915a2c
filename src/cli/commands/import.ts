import {
  text,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';

export const name = 'import';
export const aliases: readonly string[] = [];
export const summary = 'print a supervisord-dialect config made from a PM2 ecosystem file or a Procfile';
export const args: readonly ArgumentSpec[] = [
  { name: 'format', description: 'what the file is', required: true, choices: ['pm2', 'procfile'] },
  { name: 'file', description: 'ecosystem.config.js|.cjs|.mjs|.json|.yaml, or a Procfile', required: true },
];
export const options: readonly OptionSpec[] = [
  { flags: '--env <name>', description: 'pm2: merge env_NAME over env; procfile: a .env file to read' },
];
export const details = `Prints a config in supervisord's dialect, which tend runs and supervisord reads, made from a
PM2 ecosystem file (JS, ESM, JSON or YAML) or a Procfile; every option without an equivalent is
reported on stderr. A JS ecosystem file is run in a separate \`node\` process under Node's permission
model (it may read files, not write them or start processes) with a 10 s limit: safe enough for
an operator's own file, not a sandbox ([migration.md](migration.md)). A file that throws: exit 2.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const env = text(input, 'env');
  return ctx.local.convert('import', {
    args: input.args,
    options: env === '' ? {} : { env },
    config: null,
  });
};
