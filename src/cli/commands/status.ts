import { namespecOf } from '../../protocol/names.js';
import { STOPPED_STATES, type ProcessState } from '../../protocol/states.js';
import {
  exitCode,
  flag,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { statusLine, statusWidth } from '../output.js';
import { rolloutLine, type RolloutBody } from '../rollouts.js';
import { processTable, statsUnavailable, type ProcessRow } from '../table.js';

// `tend status [NAME…]`: on a terminal, the long table (pid, uptime, restarts, CPU and memory of
// each process tree); piped, supervisorctl's exact lines (`name  STATE  description`), so scripts
// written for supervisorctl read it unchanged. Exit codes are supervisorctl's (LSB status): 3
// when a listed process is not running, 4 for an unknown name.

export const name = 'status';
export const aliases: readonly string[] = ['ls', 'list'];
export const summary =
  'show processes (all, NAME, GROUP:*); exit 3 if one is not running, 4 for an unknown name';
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'processes to show', variadic: true },
];
export const options: readonly OptionSpec[] = [
  {
    flags: '-l, --long',
    description: 'the table with pid, uptime, restarts, CPU and memory, even when piped',
  },
  { flags: '--plain', description: "supervisorctl's lines, even on a terminal" },
  {
    flags: '--json',
    description: "print getProcessInfo objects as JSON (with --long, tend's fields under `tend`)",
  },
];
export const details = `On a terminal, a table: \`NAME STATE PID UPTIME RESTARTS CPU MEM DESCRIPTION\`, the state
coloured; CPU is the share of one core of the process and all its descendants over the last
second or so, MEM their resident memory (\`-\` where /proc is not available, e.g. macOS).
RESTARTS counts automatic restarts (crashes, retries, health and watchdog restarts).
Piped (or with \`--plain\`), supervisorctl's lines: \`name  STATE  description\`. \`--long\` forces the
table, \`--json\` prints the getProcessInfo objects. Exit 3 when a listed process is not running
(STOPPED, EXITED, FATAL or UNKNOWN), 4 for an unknown name (\`x: ERROR (no such process)\`).`;

// Which rows a status argument selects: `all`, a namespec, `group:*`, or a bare group name.
const select = (rows: readonly ProcessRow[], arg: string): ProcessRow[] => {
  if (arg === 'all') return [...rows];
  if (arg.endsWith(':*') || arg.endsWith(':')) {
    const group = arg.slice(0, arg.indexOf(':'));
    return rows.filter((r) => r.group === group);
  }
  const exact = rows.filter(
    (r) => namespecOf(r) === arg || (!arg.includes(':') && r.group === arg && r.name === arg),
  );
  return exact.length > 0 ? exact : rows.filter((r) => !arg.includes(':') && r.group === arg);
};

const show = (
  ctx: CommandContext,
  shown: readonly ProcessRow[],
  input: CommandInput,
  long: boolean,
): void => {
  const { io } = ctx;
  if (flag(input, 'json')) io.out(JSON.stringify(shown, null, 2));
  else if (long) {
    for (const line of processTable(shown, io.color)) io.out(line);
    if (statsUnavailable(shown)) io.err('note: CPU and memory are not measured on this system (no /proc)');
  } else {
    const width = statusWidth(shown.map(namespecOf));
    for (const row of shown) io.out(statusLine({ ...row, namespec: namespecOf(row) }, width, io.color));
  }
};

// Rolling restarts in progress: under the table, or on stderr beside supervisorctl's lines (a
// script reading them sees exactly supervisorctl's output on stdout).
const showRollouts = async (ctx: CommandContext, long: boolean): Promise<void> => {
  const { rollouts } = await ctx.client().call<{ rollouts: RolloutBody[] }>('GET', '/api/v1/rollouts');
  for (const r of rollouts.filter((x) => x.state === 'running')) {
    if (long) ctx.io.out(rolloutLine(r));
    else ctx.io.err(rolloutLine(r));
  }
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const long = flag(input, 'long') || (ctx.io.tty && !flag(input, 'plain') && !flag(input, 'json'));
  const rows = await ctx.client().call<ProcessRow[]>('GET', `/api/v1/processes${long ? '?tend=true' : ''}`);
  let unknown = false;
  const shown: ProcessRow[] = input.args.length === 0 ? rows : [];
  for (const arg of input.args) {
    const matched = select(rows, arg);
    if (matched.length === 0) {
      ctx.io.err(`${arg}: ERROR (${/:\*?$/.test(arg) ? 'no such group' : 'no such process'})`);
      unknown = true;
    }
    shown.push(...matched.filter((m) => !shown.includes(m)));
  }
  show(ctx, shown, input, long);
  if (!flag(input, 'json')) await showRollouts(ctx, long);
  if (unknown) return exitCode('STATUS_UNKNOWN');
  const stopped = shown.some((r) => STOPPED_STATES.has(r.statename as ProcessState));
  return exitCode(stopped ? 'STATUS_NOT_RUNNING' : null);
};
