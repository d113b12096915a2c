import {
  exitCode,
  flag,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { query, showLog } from '../logs.js';
import { wholeNumber } from '../parse.js';

export const name = 'tail';
export const aliases: readonly string[] = [];
export const summary = 'the last bytes of a log (default 1600), or follow it with -f';
export const args: readonly ArgumentSpec[] = [
  { name: 'name', description: 'process', required: true },
  { name: 'stream', description: 'stdout or stderr', default: 'stdout' },
];
export const options: readonly OptionSpec[] = [
  { flags: '-f, --follow', description: 'keep printing what the process writes (Ctrl-C to stop)' },
  {
    flags: '--bytes <n>',
    description: 'how many bytes (also written -N, as in supervisorctl: tail -200 web)',
    default: '1600',
    parse: wholeNumber('tail', '--bytes', 2 ** 31),
  },
];
export const details = `The last 1600 bytes (or N) of a process's log; \`-f\` follows it until Ctrl-C
(\`==> Press Ctrl-C to exit <==\` first). \`NAME: ERROR (no log file | no such process name)\` exits 1;
a follow that the daemon ends says why and exits 69 (daemon gone) or 1.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const [target = '', stream = 'stdout'] = input.args;
  if (stream !== 'stdout' && stream !== 'stderr') {
    ctx.io.err(`Error: bad channel '${stream}'`);
    ctx.io.err('hint: tend tail --help');
    return Promise.resolve(exitCode('FAILED'));
  }
  const bytes = input.options.bytes as number;
  return showLog(ctx, {
    who: target,
    follow: flag(input, 'follow'),
    read: `/api/v1/processes/${encodeURIComponent(target)}/logs/${stream}?offset=${-bytes}&length=0`,
    followPath: `/api/v1/logs?${query({ names: target, streams: stream, bytes: 1024, follow: true })}`,
  });
};
