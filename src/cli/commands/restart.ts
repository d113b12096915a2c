import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { control } from '../control.js';
import { ExitStatus } from '../results.js';
import { rollName } from '../rollouts.js';

export const name = 'restart';
export const aliases: readonly string[] = [];
export const summary =
  'restart processes (stop, then start; rolling where configured): NAME, GROUP:*, GROUP or all';
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'processes to restart', variadic: true },
];
export const options: readonly OptionSpec[] = [
  {
    flags: '--rolling',
    description: 'replace the instances one at a time, each new one ready before an old one stops',
  },
];
export const details = `Stop, then start, with the lines and exit codes of both. A program with
\`restart_strategy = rolling\`, and any program with \`--rolling\`, is replaced one instance at a time
instead: a new instance starts (beside the old one, sharing its \`socket\`), and only once it is
ready does an old one stop (docs/zero-downtime.md). One line per program, \`web: rolled (4 of 4
replaced)\`; a new instance that does not get ready stops the rollout with the old instances
serving, and exits 7 (\`ROLLOUT_FAILED\`). \`all\` stops and starts everything unless \`--rolling\`
is given. supervisorctl's \`restart\` always stops and starts.`;

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const rolling = input.options.rolling === true;
  const names = input.args;
  if (names.length === 0 || (names.includes('all') && !rolling)) return control(ctx, 'restart', names);
  const exit = new ExitStatus();
  const client = ctx.client();
  const plain: string[] = [];
  for (const one of names) {
    if (!(await rollName(client, one, { io: ctx.io, exit, configured: !rolling }))) plain.push(one);
  }
  if (plain.length === 0) return exit.value;
  const rest = await control(ctx, 'restart', plain);
  return rest === 0 ? exit.value : rest;
};
