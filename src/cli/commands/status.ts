import { STOPPED_STATES, type ProcessState } from '../../process/states.js';
import type { Client } from '../client.js';
import { statusLine, statusWidth, type Output } from '../output.js';

export interface ProcessRow {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly description: string;
  readonly pid: number;
}

export const namespecOf = (p: { name: string; group: string }): string =>
  p.group === p.name ? p.name : `${p.group}:${p.name}`;

// Which rows a status argument selects: `all`, a namespec, `group:*`, or a bare group name.
const select = (rows: readonly ProcessRow[], arg: string): ProcessRow[] => {
  if (arg === 'all') return [...rows];
  if (arg.endsWith(':*') || arg.endsWith(':')) {
    const group = arg.slice(0, arg.indexOf(':'));
    return rows.filter((r) => r.group === group);
  }
  const exact = rows.filter(
    (r) => namespecOf(r) === arg || (!arg.includes(':') && r.group === arg && r.name === arg),
  );
  return exact.length > 0 ? exact : rows.filter((r) => !arg.includes(':') && r.group === arg);
};

/**
 * `tend status [NAME…]`: supervisorctl's table and exit codes: 3 when a listed process is not
 * running (STOPPED, EXITED, FATAL or UNKNOWN), 4 for an unknown name.
 */
export const status = async (
  client: Client,
  names: readonly string[],
  json: boolean,
  io: Output,
): Promise<number> => {
  const rows = await client.call<ProcessRow[]>('GET', '/api/v1/processes');
  let code = 0;
  let shown: ProcessRow[] = [];
  if (names.length === 0) shown = rows;
  for (const arg of names) {
    const matched = select(rows, arg);
    if (matched.length === 0) {
      io.err(
        `${arg}: ERROR (${arg.endsWith(':*') || arg.endsWith(':') ? 'no such group' : 'no such process'})`,
      );
      code = 4;
    }
    shown.push(...matched.filter((m) => !shown.includes(m)));
  }
  if (json) io.out(JSON.stringify(shown, null, 2));
  else {
    const width = statusWidth(shown.map(namespecOf));
    for (const row of shown) io.out(statusLine({ ...row, namespec: namespecOf(row) }, width, io.color));
  }
  if (code === 0 && shown.some((r) => STOPPED_STATES.has(r.statename as ProcessState))) code = 3;
  return code;
};
