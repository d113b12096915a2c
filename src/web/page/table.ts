import { el, formatBytes, formatDuration, setText } from './dom.js';
import { namespec, rows, type Row } from './model.js';

// The process table: one tbody per group (a heading row, then one row per process). Rows carry the
// automation contract: data-process="GROUP:NAME", data-state, buttons with data-action.

export const ACTIONS = ['start', 'stop', 'restart'] as const;
export type Action = (typeof ACTIONS)[number];

export interface View {
  filter: string;
  state: string;
  sort: 'name' | 'state' | 'cpu' | 'mem';
  readonly operator: boolean;
}

const button = (action: string, label: string, target: string): HTMLButtonElement =>
  el(
    'button',
    { type: 'button', 'data-action': action, 'data-target': target, 'aria-label': `${label} ${target}` },
    label,
  );

const cells = (key: string, operator: boolean): HTMLElement[] => {
  // A flex box inside the cell: a cell that is itself a flex box loses its table borders.
  const actions = el('div', { class: 'actions' });
  if (operator)
    for (const a of ACTIONS) actions.append(button(a, `${a.charAt(0).toUpperCase()}${a.slice(1)}`, key));
  actions.append(
    button('logs', 'Logs', key),
    el('span', { class: 'result', 'data-result': '', role: 'status' }),
  );
  return [
    el('th', { scope: 'row', class: 'name' }, key.slice(key.indexOf(':') + 1)),
    el('td', { 'data-label': 'state' }, el('span', { class: 'state', 'data-field': 'state' })),
    el('td', { class: 'num', 'data-field': 'pid', 'data-label': 'pid' }),
    el('td', { class: 'num', 'data-field': 'uptime', 'data-label': 'up' }),
    el('td', { class: 'num', 'data-field': 'restarts', 'data-label': 'restarts' }),
    el('td', { 'data-field': 'health', 'data-label': 'health' }),
    el('td', { class: 'num', 'data-label': 'cpu' }, el('span', { 'data-field': 'cpu' })),
    el('td', { class: 'num', 'data-field': 'mem', 'data-label': 'mem' }),
    el('td', { class: 'exit', 'data-field': 'exit' }),
    el('td', {}, actions),
  ];
};

const rowElements = new Map<string, HTMLTableRowElement>();
// Each row's cells by data-field, found once: with 1000 rows, a querySelector per cell per update
// is most of the page's work.
const fieldCache = new WeakMap<HTMLElement, Map<string, Element>>();

export const rowFor = (key: string, operator: boolean): HTMLTableRowElement => {
  let tr = rowElements.get(key);
  if (tr === undefined) {
    tr = el('tr', { 'data-process': key });
    tr.append(...cells(key, operator));
    rowElements.set(key, tr);
    const fields = new Map<string, Element>();
    for (const node of tr.querySelectorAll('[data-field]'))
      fields.set(node.getAttribute('data-field') ?? '', node);
    fieldCache.set(tr, fields);
  }
  return tr;
};

export const existingRow = (key: string): HTMLTableRowElement | undefined => rowElements.get(key);

export const forget = (key: string): void => {
  rowElements.get(key)?.remove();
  rowElements.delete(key);
};

const field = (tr: HTMLElement, name: string): Element | null => fieldCache.get(tr)?.get(name) ?? null;

const lastExit = (row: Row): string => {
  const i = row.info;
  if (i.spawnerr !== '') return i.spawnerr;
  if (i.statename === 'EXITED' || i.statename === 'FATAL' || i.statename === 'BACKOFF')
    return `exit ${i.exitstatus}`;
  return '';
};

export const paintStats = (tr: HTMLElement, row: Row): void => {
  setText(field(tr, 'cpu'), row.cpu === null ? '–' : `${row.cpu.toFixed(1)}%`);
  setText(field(tr, 'mem'), row.rss === null ? '–' : formatBytes(row.rss));
  if (row.history.length >= 2) drawSpark(sparkOf(tr), row.history);
};

export const paintUptime = (tr: HTMLElement, row: Row): void => {
  const running = row.info.statename === 'RUNNING' && row.info.start > 0;
  setText(field(tr, 'uptime'), running ? formatDuration(Date.now() / 1000 + row.skew - row.info.start) : '–');
};

export const paint = (tr: HTMLElement, row: Row): void => {
  const i = row.info;
  tr.dataset.state = i.statename;
  const state = field(tr, 'state');
  setText(state, i.statename);
  state?.setAttribute('class', `state s-${i.statename.toLowerCase()}`);
  setText(field(tr, 'pid'), i.pid === 0 ? '–' : String(i.pid));
  setText(field(tr, 'restarts'), String(i.tend?.restarts ?? 0));
  const health = i.tend?.health ?? null;
  setText(
    field(tr, 'health'),
    health === null ? '–' : health + (i.tend?.lastError == null ? '' : `: ${i.tend.lastError}`),
  );
  const exit = lastExit(row);
  setText(field(tr, 'exit'), exit);
  // The cell is cut to its width; the whole text shows on hover.
  if (field(tr, 'exit')?.getAttribute('title') !== exit) field(tr, 'exit')?.setAttribute('title', exit);
  paintUptime(tr, row);
  paintStats(tr, row);
};

// Made at the second figure only: idle programs (whose figures do not change, so none arrive)
// never get one, which keeps a page of a thousand mostly idle rows light.
const sparkOf = (tr: HTMLElement): HTMLCanvasElement => {
  const fields = fieldCache.get(tr);
  const made = fields?.get('spark');
  if (made instanceof HTMLCanvasElement) return made;
  const canvas = el('canvas', { class: 'spark', width: '60', height: '16', 'aria-hidden': 'true' });
  fields?.get('cpu')?.after(canvas);
  fields?.set('spark', canvas);
  return canvas;
};

// The line's colour is the canvas's CSS colour, read once per colour scheme (reading computed
// style per row forces a style recalculation per row).
let sparkColour: string | null = null;
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  sparkColour = null;
});

const drawSpark = (canvas: HTMLCanvasElement, history: readonly number[]): void => {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const top = Math.max(100, ...history);
  sparkColour ??= getComputedStyle(canvas).color;
  ctx.strokeStyle = sparkColour;
  ctx.beginPath();
  history.forEach((v, i) => {
    const x = (i / (history.length - 1)) * canvas.width;
    const y = canvas.height - 1 - (v / top) * (canvas.height - 2);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
};

const ORDER = ['FATAL', 'BACKOFF', 'EXITED', 'STARTING', 'STOPPING', 'UNKNOWN', 'RUNNING', 'STOPPED'];

const compare =
  (view: View) =>
  (a: Row, b: Row): number => {
    if (view.sort === 'cpu') return (b.cpu ?? -1) - (a.cpu ?? -1);
    if (view.sort === 'mem') return (b.rss ?? -1) - (a.rss ?? -1);
    if (view.sort === 'state') return ORDER.indexOf(a.info.statename) - ORDER.indexOf(b.info.statename);
    return a.info.name.localeCompare(b.info.name);
  };

export const visible = (view: View, row: Row): boolean =>
  (view.state === '' || row.info.statename === view.state) &&
  (view.filter === '' || namespec(row.info).toLowerCase().includes(view.filter.toLowerCase()));

/** Groups → their rows, filtered and sorted. */
export const grouped = (view: View): Map<string, Row[]> => {
  const out = new Map<string, Row[]>();
  for (const row of [...rows.values()].sort((a, b) => a.info.group.localeCompare(b.info.group))) {
    if (!visible(view, row)) continue;
    const list = out.get(row.info.group) ?? [];
    list.push(row);
    out.set(row.info.group, list);
  }
  for (const list of out.values()) list.sort(compare(view));
  return out;
};
