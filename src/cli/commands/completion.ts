import { isTendError } from '../../errors/index.js';
import { namespecOf } from '../../protocol/names.js';
import {
  flag,
  OK,
  usageError,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { completionScript, type Shell } from '../completion.js';

export const name = 'completion';
export const aliases: readonly string[] = [];
export const summary = 'print shell completion for bash, zsh or fish (process names come from the daemon)';
export const args: readonly ArgumentSpec[] = [
  { name: 'shell', description: 'bash, zsh or fish', choices: ['bash', 'zsh', 'fish'] },
];
export const options: readonly OptionSpec[] = [
  {
    flags: '--names',
    description: 'print the process and group names of the running daemon (what the scripts call)',
  },
];
export const details = `Prints a completion script: commands and their aliases, options, and the names of the
processes and groups of the running daemon (asked at each completion through
\`tend completion --names\`, with the \`-c\`/\`-s\` given on the line being completed).
\`source <(tend completion bash)\` in \`~/.bashrc\`; \`source <(tend completion zsh)\` in \`~/.zshrc\` after
\`compinit\`; \`tend completion fish > ~/.config/fish/completions/tend.fish\`. \`--names\` prints
nothing, exit 0, when the daemon cannot be reached.`;

interface Named {
  readonly name: string;
  readonly group: string;
}

const names = async (ctx: CommandContext): Promise<void> => {
  let processes: Named[];
  try {
    processes = await ctx.client().call<Named[]>('GET', '/api/v1/processes');
  } catch (error) {
    if (isTendError(error) && ['UNREACHABLE', 'CONFIG_NOT_FOUND', 'UNAUTHORIZED'].includes(error.code))
      return;
    throw error;
  }
  const groups = [...new Set(processes.filter((p) => p.group !== p.name).map((p) => `${p.group}:*`))];
  for (const line of [...processes.map(namespecOf), ...groups]) ctx.io.out(line);
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  if (flag(input, 'names')) {
    await names(ctx);
    return OK;
  }
  const shell = input.args[0];
  if (shell === undefined) throw usageError('completion', 'which shell? bash, zsh or fish');
  ctx.io.write(completionScript(shell as Shell, ctx.commands));
  return OK;
};
