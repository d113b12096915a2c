import { Argument, Command, CommanderError, Option } from 'commander';
import {
  exitCode,
  usageError,
  type ArgumentSpec,
  type CommandModule,
  type LocalTools,
  type OptionSpec,
} from '../cli/command.js';
import { GLOBAL_OPTIONS } from '../cli/globals.js';
import { terminal } from '../cli/output.js';
import { TendError, toExitCode, toTendError } from '../errors/index.js';
import { commandContext } from './context.js';
import type { GlobalOptions } from './target.js';

// Builds the command line from the command modules: commander parses, each option with a parser
// is checked before the command runs (a usage error never reaches the daemon), and commander's
// own complaints (unknown command, missing argument) become tend's one-line usage errors.

/** A commander complaint, turned into tend's usage error for `command` (null: tend itself). */
const usageFailure = (command: string | null) => (error: CommanderError) => {
  if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) throw error;
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\?\)$/, '; did you mean $1?');
  throw new TendError('USAGE', command === null ? message : `${command}: ${message}`, {
    hint: command === null ? 'tend --help' : `tend ${command} --help`,
  });
};

const argumentOf = (spec: ArgumentSpec): Argument => {
  const inner = `${spec.name}${spec.variadic === true ? '...' : ''}`;
  const arg = new Argument(spec.required === true ? `<${inner}>` : `[${inner}]`, spec.description);
  if (spec.default !== undefined) arg.default(spec.default);
  return arg;
};

export const optionOf = (spec: OptionSpec): Option => {
  const option = new Option(spec.flags, spec.description);
  if (spec.default !== undefined) option.default(spec.default);
  return option;
};

const oneOf = (command: string, what: string, choices: readonly string[], value: string): void => {
  if (!choices.includes(value)) {
    throw usageError(
      command,
      `${what} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1) ?? ''}, got '${value}'`,
    );
  }
};

/** Option values after each spec's check and parser; they throw the usage error. */
const parsedOptions = (module: CommandModule, raw: Record<string, unknown>): Record<string, unknown> => {
  const options = { ...raw };
  for (const spec of module.options) {
    const key = new Option(spec.flags).attributeName();
    const value = options[key];
    if (typeof value !== 'string') continue;
    if (spec.choices !== undefined) oneOf(module.name, spec.flags.replace(/ <.*/, ''), spec.choices, value);
    if (spec.parse !== undefined) options[key] = spec.parse(value);
  }
  return options;
};

const checkedArgs = (module: CommandModule, args: readonly string[]): string[] => {
  module.args.forEach((spec, i) => {
    const value = args[i];
    if (spec.choices !== undefined && value !== undefined)
      oneOf(module.name, spec.name.toUpperCase(), spec.choices, value);
  });
  return [...args];
};

interface Tools {
  readonly local: LocalTools;
  readonly commands: readonly CommandModule[];
}

const action =
  (program: Command, module: CommandModule, tools: Tools) =>
  async (...params: unknown[]): Promise<void> => {
    const command = params.at(-1) as Command;
    const options = parsedOptions(module, command.opts<Record<string, unknown>>());
    const args = checkedArgs(
      module,
      command.processedArgs.flat().filter((a): a is string => typeof a === 'string'),
    );
    const io = terminal();
    const typed = program.args[0] ?? module.name;
    if (typed !== module.name && module.aliases.includes(typed)) {
      io.err(`note: \`tend ${typed}\` is \`tend ${module.name}\` here`);
    }
    const { ctx, close } = commandContext(program.opts<GlobalOptions>(), io, tools);
    try {
      process.exitCode = await module.run(ctx, { args, options });
    } finally {
      close();
    }
  };

/** Adds one command module to the command line. */
export const addCommand = (program: Command, module: CommandModule, tools: Tools): void => {
  const command = program.command(module.name).description(module.summary);
  for (const alias of module.aliases) command.alias(alias);
  for (const spec of module.args) command.addArgument(argumentOf(spec));
  for (const spec of module.options) command.addOption(optionOf(spec));
  command.exitOverride(usageFailure(module.name));
  command.action(action(program, module, tools));
};

/** The `tend` command line with its global options; main.ts adds the commands. */
export const createProgram = (version: string): Command => {
  const program = new Command('tend')
    .description('tend keeps your programs running: a supervisord-compatible process supervisor')
    .version(version, '-v, --version')
    .configureOutput({ outputError: () => undefined })
    .exitOverride(usageFailure(null))
    .addHelpText('after', '\nExit codes and every command: docs/cli.md');
  for (const spec of GLOBAL_OPTIONS) program.addOption(optionOf(spec));
  return program;
};

/**
 * What main prints for a failure and the exit status: `tend: message` and `hint:` lines for a
 * TendError (the catalogue gives the status), nothing more after commander's help or version.
 */
export const reportFailure = (error: unknown): number => {
  if (error instanceof CommanderError) {
    return exitCode(error.code === 'commander.help' ? 'USAGE' : null);
  }
  const e = toTendError(error);
  process.stderr.write(`tend: ${e.message}\n`);
  for (const line of e.hint?.split('\n') ?? []) process.stderr.write(`hint: ${line}\n`);
  return toExitCode(e.code);
};

/** `tend status | head`: a reader that stops reading ends tend quietly, as it ends `cat`. */
export const quietOnClosedPipe = (): void => {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(exitCode(null));
  });
};

// supervisorctl writes byte counts as options: `tail -200 web`, `maintail -500`.
export const supervisorctlByteCounts = (argv: readonly string[]): string[] =>
  argv.map((arg, i) =>
    /^-\d+$/.test(arg) && argv.slice(2, i).some((a) => a === 'tail' || a === 'maintail')
      ? `--bytes=${arg.slice(1)}`
      : arg,
  );
