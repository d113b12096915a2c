import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { control } from '../control.js';

export const name = 'start';
export const aliases: readonly string[] = [];
export const summary = 'start processes: NAME, GROUP:*, GROUP or all';
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'processes to start', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `\`web: started\`, or \`web: ERROR (no such process | no such file | file is not executable |
already started | spawn error | abnormal termination)\`. Each process is started in turn and
waited for until RUNNING (its startsecs, or its readiness check). \`already started\` exits 0, a
spawn error 7, an unknown name 1, an unknown group or no name at all 2.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> =>
  control(ctx, 'start', input.args);
