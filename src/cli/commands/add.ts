import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { changeGroups } from '../groups.js';

export const name = 'add';
export const aliases: readonly string[] = [];
export const summary = 'activate groups from the config file';
export const args: readonly ArgumentSpec[] = [
  { name: 'groups', description: 'groups to add', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `Adds a group of the config file (it autostarts): \`g: added process group\`;
\`ERROR: process group already active\` (exit 0), \`ERROR: no such process/group: g\` (exit 1).`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> =>
  changeGroups(ctx, 'add', input.args);
