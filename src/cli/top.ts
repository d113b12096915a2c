import { styleText } from 'node:util';
import { isTendError } from '../errors/index.js';
import { namespecOf } from '../protocol/names.js';
import type { Client } from './client.js';
import { formatTime } from './format.js';
import { processTable, statsUnavailable, type ProcessRow } from './table.js';

// `tend top`: the process table redrawn every interval on the terminal's alternate screen, with
// keys to move a selection and start, stop or restart the selected process (pm2 monit). Actions
// are sent without waiting (`?wait=false`), so the screen never freezes; the next frame shows
// their effect. It reads like `tend status`, so the daemon samples CPU and memory while it runs.

const KEYS = 'q quit  ↑/↓ select  s stop  t start  r restart';
const ESC = '\u001b[';

/** Cuts a line with colour codes (ESC [ … m) to `width` visible characters. */
export const fit = (line: string, width: number): string => {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const end = line.startsWith(ESC, i) ? line.indexOf('m', i) : -1;
    if (end !== -1) {
      out += line.slice(i, end + 1);
      i = end;
    } else if (visible < width) {
      out += line[i] ?? '';
      visible += 1;
    }
  }
  return `${out}${ESC}0m`;
};

export interface TopOptions {
  readonly intervalMs: number;
  readonly write: (text: string) => void;
  readonly size: () => { readonly columns: number; readonly rows: number };
  readonly color: boolean;
}

export class TopScreen {
  readonly #client: Client;
  readonly #options: TopOptions;
  #rows: ProcessRow[] = [];
  #selected = 0;
  #message = '';
  #updated = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(client: Client, options: TopOptions) {
    this.#client = client;
    this.#options = options;
  }

  /** Fetches the processes and draws; again every interval until close(). */
  async refresh(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      this.#rows = await this.#client.call<ProcessRow[]>('GET', '/api/v1/processes?tend=true');
      this.#updated = Date.now();
      if (this.#message.startsWith('lost the daemon')) this.#message = '';
    } catch (error) {
      if (!isTendError(error)) throw error;
      this.#message = `lost the daemon: ${error.message}`;
    }
    if (this.#closed) return;
    this.draw();
    this.#timer = setTimeout(() => void this.refresh(), this.#options.intervalMs);
  }

  /** Handles what the terminal sent (keys typed fast arrive together); returns false for quit. */
  keys(data: string): boolean {
    for (let i = 0; i < data.length; i++) {
      const arrow = data.startsWith(ESC, i) ? data.slice(i, i + 3) : null;
      if (arrow !== null) i += 2;
      if (!this.#key(arrow ?? data.charAt(i))) return false;
    }
    return true;
  }

  #key(key: string): boolean {
    if (key === 'q' || key === '\u0003' || key === '\u0004') return false;
    if (key === `${ESC}A` || key === 'k') this.#move(-1);
    else if (key === `${ESC}B` || key === 'j') this.#move(1);
    else if (key === 's') this.#act('stop');
    else if (key === 't') this.#act('start');
    else if (key === 'r') this.#act('restart');
    return true;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
  }

  #move(by: number): void {
    this.#selected = Math.min(Math.max(0, this.#selected + by), Math.max(0, this.#rows.length - 1));
    this.draw();
  }

  #act(action: 'start' | 'stop' | 'restart'): void {
    const row = this.#rows[this.#selected];
    if (row === undefined) return;
    const who = namespecOf(row);
    this.#message = `${who}: ${action} sent`;
    const path = `/api/v1/processes/${encodeURIComponent(who)}/${action}?wait=false`;
    this.#client.call('POST', path).then(
      () => void this.refresh(),
      (error: unknown) => {
        this.#message = `${who}: ${action} failed: ${error instanceof Error ? error.message : String(error)}`;
        void this.refresh();
      },
    );
    this.draw();
  }

  /** One frame: title, the table with the selection, the keys and the last message. */
  draw(): void {
    const { columns, rows } = this.#options.size();
    const color = this.#options.color;
    const running = this.#rows.filter((r) => r.statename === 'RUNNING').length;
    const title = `tend top  ${this.#client.target.url}  ${this.#rows.length} processes, ${running} running  ${this.#updated === 0 ? '' : formatTime(this.#updated)}`;
    const [head = '', ...body] = processTable(this.#rows, color);
    const room = Math.max(0, rows - 5);
    const first = Math.min(Math.max(0, this.#selected - room + 1), Math.max(0, body.length - room));
    const lines = body.slice(first, first + room).map((line, i) => {
      const mark = i + first === this.#selected ? '>' : ' ';
      const text = `${mark} ${line}`;
      return mark === '>' && color ? styleText('inverse', text) : text;
    });
    const note = statsUnavailable(this.#rows)
      ? 'CPU and memory are not measured on this system'
      : this.#message;
    const frame = [title, '', `  ${head}`, ...lines, '', `${KEYS}${note === '' ? '' : `   ${note}`}`];
    this.#options.write(`${ESC}H${ESC}2J${frame.map((l) => fit(l, columns)).join('\r\n')}`);
  }
}
