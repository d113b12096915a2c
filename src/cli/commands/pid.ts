import type { ArgumentSpec, CommandContext, CommandInput, ExitCode, OptionSpec } from '../command.js';
import { ExitStatus, perName } from '../results.js';

// `tend pid`: the daemon's pid; `pid NAME…` each process's (0 and exit 7 when not running).

export const name = 'pid';
export const aliases: readonly string[] = [];
export const summary = "the daemon's pid, or the pids of processes (0: not running, exit 7)";
export const args: readonly ArgumentSpec[] = [
  { name: 'names', description: 'processes, or all', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `The daemon's pid, or each process's (\`0\` and exit 7 when not running; \`No such process x\`, exit 1).`;

interface Pid {
  readonly pid: number;
}

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const client = ctx.client();
  const { io } = ctx;
  const exit = new ExitStatus();
  if (input.args.length === 0) {
    io.out(String((await client.call<Pid>('GET', '/api/v1/daemon')).pid));
    return exit.value;
  }
  if (input.args.includes('all')) {
    for (const p of await client.call<Pid[]>('GET', '/api/v1/processes')) io.out(String(p.pid));
    return exit.value;
  }
  for (const spec of input.args) {
    try {
      const info = await client.call<Pid>('GET', `/api/v1/processes/${encodeURIComponent(spec)}`);
      io.out(String(info.pid));
      if (info.pid === 0) exit.set('NOT_RUNNING');
    } catch (error) {
      if (!perName(error) || error.code !== 'BAD_NAME') throw error;
      io.err(`No such process ${spec}`);
      exit.set('FAILED');
    }
  }
  return exit.value;
};
