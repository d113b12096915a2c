import { styleText } from 'node:util';
import { namespecOf } from '../protocol/names.js';
import type { ProcessInfo, ProcessStats } from '../protocol/process-info.js';
import { formatBytes, formatDuration, formatPercent } from './format.js';
import { stateStyle } from './output.js';

// The long process table of `tend status` (on a terminal, or with --long) and `tend top`:
// supervisorctl's name, state and description, with pid, uptime, restarts, CPU and memory
// between them. `-` where a value does not apply or is not measured.

/** A process as `GET /api/v1/processes?tend=true` gives it (the parts the table shows). */
export interface ProcessRow extends ProcessInfo {
  readonly tend?: { readonly restarts: number; readonly stats: ProcessStats | null };
}

const HEADER = ['NAME', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'CPU', 'MEM', 'DESCRIPTION'] as const;
const RIGHT = new Set([2, 3, 4, 5, 6]);

const RUNNING_NOTE = /^pid \d+, uptime [^,]+(, )?/;

/** The description without what the columns already say (`pid N, uptime …` of a running process). */
const note = (row: ProcessRow): string =>
  row.statename === 'RUNNING' ? row.description.replace(RUNNING_NOTE, '') : row.description;

const cells = (row: ProcessRow): string[] => {
  const alive = row.pid !== 0;
  const stats = alive ? (row.tend?.stats ?? null) : null;
  return [
    namespecOf(row),
    row.statename,
    alive ? String(row.pid) : '-',
    alive && row.start > 0 ? formatDuration(row.now - row.start) : '-',
    row.tend === undefined ? '-' : String(row.tend.restarts),
    stats?.cpuPercent == null ? '-' : formatPercent(stats.cpuPercent),
    stats === null ? '-' : formatBytes(stats.rssBytes),
    note(row),
  ];
};

const pad = (text: string, width: number, right: boolean): string =>
  right ? text.padStart(width) : text.padEnd(width);

/** The table's lines, header first; `color` styles the header and the states. */
export const processTable = (rows: readonly ProcessRow[], color: boolean): string[] => {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[], style?: (i: number, text: string) => string): string =>
    c
      .map((text, i) => {
        const cell = i === c.length - 1 ? text : pad(text, widths[i] ?? 0, RIGHT.has(i));
        return style === undefined ? cell : style(i, cell);
      })
      .join('  ')
      .trimEnd();
  const head = line(HEADER, (_i, t) => (color ? styleText('bold', t) : t));
  const stateColor = (cellsOf: readonly string[]) => (i: number, t: string) => {
    const s = stateStyle(cellsOf[1] ?? '');
    return color && i === 1 && s !== undefined ? styleText(s, t) : t;
  };
  return [head, ...body.map((c) => line(c, stateColor(c)))];
};

/** True when no running process has figures: the daemon cannot measure them (no /proc). */
export const statsUnavailable = (rows: readonly ProcessRow[]): boolean => {
  const running = rows.filter((r) => r.pid !== 0);
  return running.length > 0 && running.every((r) => (r.tend?.stats ?? null) === null);
};
