import { flag, type ArgumentSpec, type CommandContext, type CommandInput, type ExitCode, type OptionSpec } from '../command.js';

export const name = 'daemon';
export const aliases: readonly string[] = [];
export const summary = 'run the supervisor in the foreground (stop it with SIGTERM or Ctrl-C)';
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [
  {
    flags: '--log-format <format>',
    description: 'daemon log format',
    choices: ['text', 'json'],
    default: 'text',
  },
  {
    flags: '--subreaper',
    description: 'reap orphaned descendants like a container init (automatic as PID 1)',
  },
];
export const details = `Runs the supervisor in the foreground. Exit 0 after a clean stop, 2 for an invalid config, 1
otherwise; 4 when a critical program gave up (\`exit_on = FATAL\`, \`critical = true\`), and, as PID 1
or with \`--subreaper\`, 3 when the stop needed SIGKILL ([containers.md](containers.md)). Signals:
TERM/INT/QUIT stop, HUP applies the config by difference, USR2 reopens logs. A config tend found
by searching (no \`-c\`, no \`$TEND_CONFIG\`) is named on stderr first.`;

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const config = ctx.config();
  if (config.searched) ctx.io.err(`tend: using ${config.file}, ${config.how}; choose another with -c FILE`);
  const logFormat = input.options.logFormat === 'json' ? 'json' : 'text';
  return ctx.local.daemon({ config: config.file, logFormat, subreaper: flag(input, 'subreaper') });
};
