import { createInterface } from 'node:readline';
import { TendError } from '../../errors/index.js';
import type { Client } from '../client.js';
import {
  exitCode,
  OK,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import type { Output } from '../output.js';

// `tend fg NAME`: the program's output on this terminal (stdout and stderr, from the last 1024
// bytes of each), and each line typed sent to its stdin, until Ctrl-C, end of input or the
// program stops (supervisorctl's fg, with its messages).

export const name = 'fg';
export const aliases: readonly string[] = [];
export const summary = 'attach to a process: see its output, type into its stdin (Ctrl-C to detach)';
export const args: readonly ArgumentSpec[] = [{ name: 'name', description: 'process', required: true }];
export const options: readonly OptionSpec[] = [];
export const details = `Attach: the process's output on the terminal, each line typed goes to its stdin; Ctrl-C or
end of input detaches (\`Exiting foreground\`). \`ERROR: process not running\` exits 1.`;

interface Info {
  readonly statename: string;
}

const state = async (client: Client, name: string): Promise<string> =>
  (await client.call<Info>('GET', `/api/v1/processes/${encodeURIComponent(name)}`)).statename;

/** Sends each line of input to the process until input ends, Ctrl-C, or the process stops. */
const forwardInput = async (client: Client, name: string, io: Output): Promise<void> => {
  const input = createInterface({ input: process.stdin });
  const stop = (): void => {
    input.close();
  };
  process.once('SIGINT', stop);
  try {
    for await (const line of input) {
      try {
        await client.call('POST', `/api/v1/processes/${encodeURIComponent(name)}/stdin`, {
          data: `${line}\n`,
        });
      } catch (error) {
        if (!(error instanceof TendError) || error.code !== 'NOT_RUNNING') throw error;
      }
      if ((await state(client, name)) !== 'RUNNING') {
        io.out('Process got killed');
        return;
      }
    }
  } finally {
    process.off('SIGINT', stop);
  }
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const { io } = ctx;
  const client = ctx.client();
  const [target = ''] = input.args;
  try {
    if ((await state(client, target)) !== 'RUNNING') {
      io.err('ERROR: process not running');
      return exitCode('FAILED');
    }
  } catch (error) {
    if (!(error instanceof TendError) || error.code !== 'BAD_NAME') throw error;
    io.err('ERROR: bad process name supplied');
    return exitCode('FAILED');
  }
  return attach(client, target, io);
};

const attach = async (client: Client, name: string, io: Output): Promise<ExitCode> => {
  io.out('==> Press Ctrl-C to exit <==');
  const controller = new AbortController();
  const write = (c: unknown): void => {
    io.write((c as { data: string }).data);
  };
  const path = `/api/v1/logs?names=${encodeURIComponent(name)}&bytes=1024&follow=true`;
  const following = client.stream(path, write, controller.signal).catch(() => undefined);
  try {
    await forwardInput(client, name, io);
  } finally {
    io.out('Exiting foreground');
    controller.abort();
    await following;
  }
  return OK;
};
