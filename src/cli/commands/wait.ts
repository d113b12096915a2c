import { PROCESS_STATE_NAMES, isProcessState } from '../../process/states.js';
import { TendError } from '../../errors/index.js';
import type { Client } from '../client.js';
import type { Output } from '../output.js';
import { statusLine, statusWidth } from '../output.js';
import { namespecOf } from '../results.js';

// `tend wait NAME --state RUNNING --timeout 30s`: blocks until every process NAME addresses (a
// namespec, a group or all) is in one of the states, then prints their status lines. The daemon
// watches the state changes; the client just waits for its answer.

interface Row {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly description: string;
}

/** `30s`, `500ms`, `2m`, `1h` or a number of seconds. */
export const parseDuration = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) throw new TendError('VALIDATION', `not a duration: ${text} (try 30s, 500ms, 2m)`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * factor;
};

export const parseStates = (text: string): string[] => {
  const states = text.split(',').map((s) => s.trim().toUpperCase());
  const bad = states.filter((s) => !isProcessState(s));
  if (bad.length > 0) {
    throw new TendError('VALIDATION', `unknown state ${bad.join(', ')}`, {
      hint: `states: ${PROCESS_STATE_NAMES.join(', ')}`,
    });
  }
  return states;
};

export const wait = async (
  client: Client,
  name: string,
  options: { state: string; timeout: string },
  io: Output,
): Promise<number> => {
  const rows = await client.call<Row[]>('POST', `/api/v1/processes/${encodeURIComponent(name)}/wait`, {
    state: parseStates(options.state),
    timeout: parseDuration(options.timeout),
  });
  const width = statusWidth(rows.map(namespecOf));
  for (const row of rows) io.out(statusLine({ ...row, namespec: namespecOf(row) }, width, io.color));
  return 0;
};
