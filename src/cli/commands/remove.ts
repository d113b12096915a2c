import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { changeGroups } from '../groups.js';

export const name = 'remove';
export const aliases: readonly string[] = [];
export const summary = 'deactivate stopped groups';
export const args: readonly ArgumentSpec[] = [
  { name: 'groups', description: 'groups to remove', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `Removes a stopped group: \`g: removed process group\`; \`ERROR: no such process/group: g\`,
\`ERROR: process/group still running: g\` (exit 1).`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> =>
  changeGroups(ctx, 'remove', input.args);
