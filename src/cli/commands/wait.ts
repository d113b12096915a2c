import { parseDuration } from '../../protocol/duration.js';
import { namespecOf } from '../../protocol/names.js';
import { PROCESS_STATE_NAMES, isProcessState } from '../../protocol/states.js';
import {
  OK,
  usageError,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { statusLine, statusWidth } from '../output.js';

// `tend wait NAME --state RUNNING --timeout 30s`: blocks until every process NAME addresses (a
// namespec, a group or all) is in one of the states, then prints their status lines. The daemon
// watches the state changes; the client just waits for its answer.

interface Row {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly description: string;
}

/** `30s`, `500ms`, `2m`, `1h` or a number of seconds (protocol/duration.ts, as config keys read them). */
export const parseTimeout = (text: string): number => {
  const seconds = parseDuration(text);
  if (seconds === null) throw usageError('wait', `--timeout: not a duration: ${text} (try 30s, 500ms, 2m)`);
  return seconds;
};

export const parseStates = (text: string): string[] => {
  const states = text.split(',').map((s) => s.trim().toUpperCase());
  const bad = states.filter((s) => !isProcessState(s));
  if (bad.length > 0) {
    throw usageError(
      'wait',
      `--state: unknown state ${bad.join(', ')} (states: ${PROCESS_STATE_NAMES.join(', ')})`,
    );
  }
  return states;
};

export const name = 'wait';
export const aliases: readonly string[] = [];
export const summary = 'wait until processes are in a state (default RUNNING), at most --timeout';
export const args: readonly ArgumentSpec[] = [
  { name: 'name', description: 'NAME, GROUP:* or all', required: true },
];
export const options: readonly OptionSpec[] = [
  {
    flags: '--state <states>',
    description: 'one or more states, comma-separated',
    default: 'RUNNING',
    parse: parseStates,
  },
  { flags: '--timeout <duration>', description: 'e.g. 30s, 500ms, 2m', default: '30s', parse: parseTimeout },
];
export const details = `Blocks until every process NAME addresses is in one of STATES (comma-separated, default
\`RUNNING\`), then prints their status lines; exit 1 with the laggards named after DURATION
(\`30s\` default; \`500ms\`, \`2m\`, \`1h\`). The daemon watches the state changes: nothing polls.`;

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const [target = ''] = input.args;
  const rows = await ctx
    .client()
    .call<Row[]>('POST', `/api/v1/processes/${encodeURIComponent(target)}/wait`, {
      state: input.options.state,
      timeout: input.options.timeout,
    });
  const width = statusWidth(rows.map(namespecOf));
  for (const row of rows) ctx.io.out(statusLine({ ...row, namespec: namespecOf(row) }, width, ctx.io.color));
  return OK;
};
