import {
  flag,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { showLogs } from '../logs.js';
import { wholeNumber } from '../parse.js';

export const name = 'logs';
export const aliases: readonly string[] = [];
export const summary =
  "the last lines of processes' stdout and stderr; names prefix each line when there are several";
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'NAME, GROUP, GROUP:* or all (default)', variadic: true },
];
export const options: readonly OptionSpec[] = [
  { flags: '-f, --follow', description: 'keep printing what they write (Ctrl-C to stop)' },
  {
    flags: '-n, --lines <n>',
    description: 'lines of history per stream',
    default: '10',
    parse: wholeNumber('logs', '-n', 100_000),
  },
];
export const details = `The last 10 (or LINES) lines of stdout and stderr of the named processes (default \`all\`). With
several processes each line is prefixed \`name | \`. \`-f\` keeps printing what they write until
Ctrl-C; when the daemon ends the stream instead (shutdown, crash) it says so and exits 69 (1 if
the daemon is still there).`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> =>
  showLogs(ctx, input.args.length === 0 ? ['all'] : input.args, {
    follow: flag(input, 'follow'),
    lines: input.options.lines as number,
  });
