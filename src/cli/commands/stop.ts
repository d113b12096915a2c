import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { control } from '../control.js';

export const name = 'stop';
export const aliases: readonly string[] = [];
export const summary = 'stop processes: NAME, GROUP:*, GROUP or all';
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'processes to stop', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `\`web: stopped\`, or \`web: ERROR (no such process | not running)\`. \`not running\` exits 0;
an unknown name or group, or no name, exits 1 (as supervisorctl).`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> =>
  control(ctx, 'stop', input.args);
