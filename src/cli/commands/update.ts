import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { configError } from '../config-errors.js';
import { ExitStatus, errorCode, type ResultBody } from '../results.js';

export const name = 'update';
export const aliases: readonly string[] = [];
export const summary = 'apply the config file: restart what changed, add and remove groups';
export const args: readonly ArgumentSpec[] = [
  { name: 'groups', description: 'only these groups (default: all)', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `Applies the config file: removed groups are stopped and removed, changed groups get their
changed members restarted (the others keep running), new groups are added. Prints
supervisorctl's lines (\`g: stopped\`, \`g: updated process group\`, \`g: added process group\`,
\`g: removed process group\`); \`ERROR: no such group: g\` exits 1.`;

interface UpdateAnswer {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly stopped: Readonly<Record<string, readonly ResultBody[]>>;
  readonly unknown?: readonly string[];
}

const report = (answer: UpdateAnswer, groups: readonly string[], ctx: CommandContext): ExitCode => {
  const { io } = ctx;
  const exit = new ExitStatus();
  for (const g of answer.unknown ?? []) {
    io.err(`ERROR: no such group: ${g}`);
    exit.set('FAILED');
  }
  const wanted = (g: string): boolean => groups.length === 0 || groups.includes(g);
  for (const g of answer.removed.filter(wanted)) {
    io.out(`${g}: stopped`);
    if ((answer.stopped[g] ?? []).some((r) => errorCode(r) === 'FAILED' && !r.ok)) {
      io.err(`${g}: has problems; not removing`);
      exit.set('FAILED');
    } else io.out(`${g}: removed process group`);
  }
  for (const g of answer.changed.filter(wanted)) io.out(`${g}: stopped\n${g}: updated process group`);
  for (const g of answer.added.filter(wanted)) io.out(`${g}: added process group`);
  return exit.value;
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const groups = input.args.includes('all') ? [] : input.args;
  try {
    return report(
      await ctx.client().call<UpdateAnswer>('POST', '/api/v1/config/update', { groups }),
      groups,
      ctx,
    );
  } catch (error) {
    return configError(error, ctx.io);
  }
};
