import {
  flag,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { showLogs } from '../logs.js';
import { pattern, sinceValue, wholeNumber } from '../parse.js';

export const name = 'logs';
export const aliases: readonly string[] = [];
export const summary =
  "every program's output merged in arrival order, each line prefixed with whose (or the named ones')";
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'NAME, GROUP, GROUP:* or all (default)', variadic: true },
];
export const options: readonly OptionSpec[] = [
  { flags: '-f, --follow', description: 'keep printing what they write (Ctrl-C to stop)' },
  {
    flags: '-n, --lines <n>',
    description: 'lines of history per stream (default 10; with --since or --grep, all there are)',
    parse: wholeNumber('logs', '-n', 100_000),
  },
  {
    flags: '--since <when>',
    description: 'only history that arrived since: a duration back (30s, 10m, 2h, 1d) or an ISO time',
    parse: sinceValue('logs'),
  },
  {
    flags: '--grep <re>',
    description: 'only lines matching this regular expression',
    parse: pattern('logs'),
  },
  { flags: '--stdout', description: 'only stdout' },
  { flags: '--stderr', description: 'only stderr' },
  { flags: '--json', description: 'one JSON object per line: {time, name, stream, line}' },
];
export const details = `The output of the named processes (default \`all\`): their last 10 (or LINES) lines per stream,
merged in the order they arrived, then with \`-f\` what they write until Ctrl-C. With several
processes each line is prefixed \`name | \` (coloured on a terminal). \`--since 10m\` keeps only
history that arrived in the last 10 minutes (times come from the daemon's marks: output older than
the daemon, or than the log file's last rotation, has none and is left out). \`--grep RE\` keeps
matching lines; it runs here, not in the daemon, over the history the daemon sends (at most
100,000 lines per stream, 200,000 lines and 32 MiB in all).
\`--json\` prints one object per line ({"time": ISO or null, "name", "stream", "line"}). When the
daemon ends a \`-f\` stream instead (shutdown, crash) it says so and exits 69 (1 if the daemon is
still there).`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const o = input.options;
  const streams = (['stdout', 'stderr'] as const).filter((s) => flag(input, s));
  return showLogs(ctx, input.args.length === 0 ? ['all'] : input.args, {
    follow: flag(input, 'follow'),
    lines: typeof o.lines === 'number' ? o.lines : null,
    since: typeof o.since === 'string' ? o.since : null,
    grep: o.grep instanceof RegExp ? o.grep : null,
    streams,
    json: flag(input, 'json'),
  });
};
