import { toExitCode, TendError, type ErrorCode } from '../errors/index.js';
import type { CheckReport } from '../protocol/check-report.js';
import type { Client } from './client.js';
import type { Output } from './output.js';

// The one shape of a `tend` command (STYLE §15, pnpm's command modules): each file in commands/
// exports `name`, `aliases`, `summary`, `args`, `options`, `details` and `run`; src/main.ts
// only loops over COMMANDS (commands/index.ts) to build the command line, and docs/cli.md is
// rendered from the same modules (cli/docs.ts). A command returns an ExitCode, which only
// `exitCode(catalogue code)` makes, so every exit status comes from the error catalogue.

/** A process exit status taken from the catalogue (`exitCode`), never a bare number. */
export type ExitCode = number & { readonly __exit: true };

/** The exit status of an outcome: 0 for success (null), else the code's catalogue exit number. */
export const exitCode = (code: ErrorCode | null): ExitCode =>
  (code === null ? 0 : toExitCode(code)) as ExitCode;

export const OK = exitCode(null);

export interface ArgumentSpec {
  /** As in the usage line: `name`, `names` (variadic), `signal`. */
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
  readonly choices?: readonly string[];
  readonly default?: string;
}

export interface OptionSpec {
  /** commander's flags: `-n, --lines <n>` or `-f, --follow`. */
  readonly flags: string;
  readonly description: string;
  readonly default?: string;
  readonly choices?: readonly string[];
  /** Checks and converts the value before anything is sent; throws usageError. */
  readonly parse?: (value: string) => unknown;
}

/** What a command was given, after validation: positional words and option values. */
export interface CommandInput {
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
}

/** The config file a command uses and how it was chosen (said when something goes wrong). */
export interface ConfigChoice {
  readonly file: string;
  /** `given with -c`, `from $TEND_CONFIG`, `found by searching …`. */
  readonly how: string;
  /** True when tend picked it from its search list rather than being told. */
  readonly searched: boolean;
}

/** Work done on this machine without a daemon; main.ts provides it, loading modules lazily. */
export interface LocalTools {
  daemon(options: {
    readonly config: string;
    readonly logFormat: 'text' | 'json';
    readonly subreaper: boolean;
  }): Promise<ExitCode>;
  check(file: string): Promise<CheckReport>;
  init(options: {
    readonly system: string;
    readonly user: boolean;
    readonly install: boolean;
    readonly config: string;
  }): { readonly text: string; readonly written: string | null; readonly notes: readonly string[] };
  hashPassword(password: string): Promise<string>;
  /** `tend export` / `tend import` (export/): the result on stdout, findings on stderr. */
  convert(
    kind: 'export' | 'import',
    input: {
      readonly args: readonly string[];
      readonly options: Readonly<Record<string, unknown>>;
      readonly config: string | null;
    },
  ): Promise<ExitCode>;
}

export interface CommandContext {
  readonly io: Output;
  /** The daemon's API client; finding the daemon (-s, -c, $TEND_CONFIG, search) happens on first use. */
  client(): Client;
  /** The config file for commands that read one themselves; throws CONFIG_NOT_FOUND. */
  config(): ConfigChoice;
  readonly local: LocalTools;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Every command of the line (for completion). */
  readonly commands: readonly CommandModule[];
}

export interface CommandModule {
  readonly name: string;
  /** Other names (PM2 habits); using one prints a one-line note with tend's name. */
  readonly aliases: readonly string[];
  readonly summary: string;
  /** Positional arguments, in order. */
  readonly args: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  /** Markdown for docs/cli.md: what it prints, its exit codes. */
  readonly details: string;
  readonly run: (ctx: CommandContext, input: CommandInput) => Promise<ExitCode>;
}

/** A command line tend cannot run: one line, a --help hint, exit 2; nothing has been sent yet. */
export const usageError = (command: string, message: string): TendError =>
  new TendError('USAGE', `${command}: ${message}`, { hint: `tend ${command} --help` });

export const flag = (input: CommandInput, name: string): boolean => input.options[name] === true;

export const text = (input: CommandInput, name: string): string => {
  const value = input.options[name];
  return typeof value === 'string' ? value : '';
};
