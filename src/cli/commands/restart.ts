import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { control } from '../control.js';

export const name = 'restart';
export const aliases: readonly string[] = [];
export const summary = 'restart processes (stop, then start): NAME, GROUP:*, GROUP or all';
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'processes to restart', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `Stop, then start, with the lines and exit codes of both.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> =>
  control(ctx, 'restart', input.args);
