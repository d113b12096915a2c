import { parseDuration } from '../../protocol/duration.js';
import {
  OK,
  usageError,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { TopScreen } from '../top.js';

export const name = 'top';
export const aliases: readonly string[] = ['monit'];
export const summary = 'a live view of the processes, CPU and memory, with keys to start, stop and restart';
export const args: readonly ArgumentSpec[] = [];

const interval = (text: string): number => {
  const seconds = parseDuration(text) ?? Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 0.2 || seconds > 60) {
    throw usageError('top', `--interval must be between 0.2 and 60 seconds, got '${text}'`);
  }
  return seconds;
};

export const options: readonly OptionSpec[] = [
  {
    flags: '--interval <duration>',
    description: 'time between refreshes (2, 500ms, 5s)',
    default: '1',
    parse: interval,
  },
];
export const details = `The \`status\` table, redrawn every second (\`--interval\`) on the terminal's alternate
screen: pid, uptime, restarts, CPU and memory of each process tree. ↑/↓ (or j/k) select a
process; \`s\` stops it, \`t\` starts it, \`r\` restarts it (sent without waiting; the next frames show
the effect); \`q\` or Ctrl-C quits. A daemon that goes away is said on the last line, and the view
comes back with it. Needs a terminal: in scripts use \`tend status\`.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const { stdin, stdout } = process;
  if (!stdin.isTTY || !stdout.isTTY)
    throw usageError('top', 'needs a terminal (in scripts, use tend status)');
  const screen = new TopScreen(ctx.client(), {
    intervalMs: (input.options.interval as number) * 1000,
    write: (text) => stdout.write(text),
    size: () => ({ columns: stdout.columns, rows: stdout.rows }),
    color: ctx.io.color,
  });
  stdout.write('\u001b[?1049h\u001b[?25l');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  const redraw = (): void => {
    screen.draw();
  };
  stdout.on('resize', redraw);
  return new Promise((resolve) => {
    const onKey = (data: string): void => {
      if (screen.keys(data)) return;
      screen.close();
      stdin.off('data', onKey);
      stdout.off('resize', redraw);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\u001b[?25h\u001b[?1049l');
      resolve(OK);
    };
    stdin.on('data', onKey);
    void screen.refresh();
  });
};
