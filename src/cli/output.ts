import { styleText } from 'node:util';
import type { ProcessState } from '../protocol/states.js';

// Terminal output: colour only when stdout is a terminal and NO_COLOR is unset, so pipes and
// scripts get exactly supervisorctl's plain text.

export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Raw text to stdout, as it comes (log output). */
  write(text: string): void;
  readonly color: boolean;
  /** stdout is a terminal (a person reads it); piped output keeps supervisorctl's plain lines. */
  readonly tty: boolean;
}

export const terminal = (): Output => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (text) => process.stdout.write(text),
  color: process.stdout.isTTY && process.env.NO_COLOR === undefined,
  tty: process.stdout.isTTY,
});

/** The colour of a state's name, or undefined for none. */
export const stateStyle = (state: string): Parameters<typeof styleText>[0] | undefined =>
  STATE_STYLE[state as ProcessState];

const STATE_STYLE: Partial<Record<ProcessState, Parameters<typeof styleText>[0]>> = {
  RUNNING: 'green',
  STARTING: 'yellow',
  BACKOFF: 'yellow',
  STOPPING: 'yellow',
  EXITED: 'red',
  FATAL: 'red',
  UNKNOWN: 'red',
  STOPPED: 'dim',
};

/** supervisorctl's status line: `'%-{W}s%-10s%s' % (namespec, statename, description)`. */
export const statusLine = (
  row: { namespec: string; statename: string; description: string },
  width: number,
  color: boolean,
): string => {
  const state = row.statename.padEnd(10);
  const style = stateStyle(row.statename);
  return `${row.namespec.padEnd(width)}${color && style !== undefined ? styleText(style, state) : state}${row.description}`;
};

export const statusWidth = (names: readonly string[]): number =>
  Math.max(30, ...names.map((n) => n.length)) + 3;
