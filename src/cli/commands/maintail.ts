import {
  flag,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { query, showLog } from '../logs.js';
import { wholeNumber } from '../parse.js';

export const name = 'maintail';
export const aliases: readonly string[] = [];
export const summary = "the last bytes of the daemon's log, or follow it with -f";
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [
  { flags: '-f, --follow', description: 'keep printing (Ctrl-C to stop)' },
  {
    flags: '--bytes <n>',
    description: 'how many bytes (also written -N)',
    default: '1600',
    parse: wholeNumber('maintail', '--bytes', 2 ** 31),
  },
];
export const details = `The daemon's own log: the last 1600 bytes (or N), or follow it.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const bytes = input.options.bytes as number;
  return showLog(ctx, {
    who: 'supervisord',
    follow: flag(input, 'follow'),
    read: `/api/v1/daemon/log?offset=${-bytes}&length=0`,
    followPath: `/api/v1/daemon/log/follow?${query({ bytes: 1024, follow: true })}`,
  });
};
