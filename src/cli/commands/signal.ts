import { namespecOf } from '../../protocol/names.js';
import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import {
  ExitStatus,
  errorCode,
  failureLine,
  perName,
  groupOf,
  supervisorctlUsage,
  type ResultBody,
} from '../results.js';

// `tend signal SIG NAME…`: supervisorctl's lines (`web: signalled`, `web: ERROR (bad signal
// name)`) and exit status (1 for a bad signal or name, 7 for a process that is not running).

export const name = 'signal';
export const aliases: readonly string[] = [];
export const summary = 'send a signal (HUP, USR1, 15…) to processes: NAME, GROUP:* or all';
export const args: readonly ArgumentSpec[] = [
  { name: 'signal', description: 'signal name or number' },
  { name: 'names', description: 'processes to signal', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `\`web: signalled\`; \`ERROR (bad signal name)\` exits 1, \`ERROR (not running)\` exits 7. A signal is
a name (\`HUP\`, \`SIGHUP\`) or a number. Without a signal and a name: supervisorctl's line, exit 1.`;

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const [sig, ...names] = input.args;
  const { io } = ctx;
  if (sig === undefined || names.length === 0) {
    return supervisorctlUsage(io, 'signal', 'requires a signal name and a process name', 'FAILED');
  }
  const client = ctx.client();
  const exit = new ExitStatus();
  for (const spec of names.includes('all') ? ['all'] : names) {
    try {
      const { results } = await client.call<{ results: ResultBody[] }>(
        'POST',
        `/api/v1/processes/${encodeURIComponent(spec)}/signal`,
        { signal: sig },
      );
      for (const r of results) {
        if (r.ok) io.out(`${namespecOf(r)}: signalled`);
        else {
          failureLine(namespecOf(r), errorCode(r), r.error?.message ?? '', io);
          exit.fail(errorCode(r));
        }
      }
    } catch (error) {
      if (!perName(error)) throw error;
      const group = groupOf(spec);
      if (group !== null && error.code === 'BAD_NAME') io.err(`${group}: ERROR (no such group)`);
      else failureLine(spec, error.code, error.message, io);
      exit.fail(error.code);
    }
  }
  return exit.value;
};
