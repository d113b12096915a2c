import { namespecOf } from '../../protocol/names.js';
import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { ExitStatus, errorCode, perName, supervisorctlUsage, type ResultBody } from '../results.js';

// `tend clear NAME…|all`: empties the processes' log files (supervisorctl's lines and codes).

export const name = 'clear';
export const aliases: readonly string[] = [];
export const summary = "empty processes' log files";
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'processes, or all', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `Empties the processes' log files: \`web: cleared\`, or \`web: ERROR (no such process)\` (exit 1).`;

const reason = (code: string): string => (code === 'BAD_NAME' ? 'no such process' : 'failed');

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const { io } = ctx;
  const names = input.args;
  if (names.length === 0) return supervisorctlUsage(io, 'clear', 'requires a process name', 'FAILED');
  const client = ctx.client();
  const exit = new ExitStatus();
  for (const spec of names.includes('all') ? ['all'] : names) {
    try {
      const { results } = await client.call<{ results: ResultBody[] }>(
        'DELETE',
        `/api/v1/processes/${encodeURIComponent(spec)}/logs`,
      );
      for (const r of results) {
        if (r.ok) io.out(`${namespecOf(r)}: cleared`);
        else {
          io.err(`${namespecOf(r)}: ERROR (${reason(errorCode(r))})`);
          exit.fail(errorCode(r));
        }
      }
    } catch (error) {
      if (!perName(error)) throw error;
      io.err(`${spec}: ERROR (${reason(error.code)})`);
      exit.fail(error.code);
    }
  }
  return exit.value;
};
