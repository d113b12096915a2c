import { el } from './dom.js';
import { configPanel, logTools } from './tools.js';

// The page's fixed parts: the toolbar (filter, state, sort, whole-daemon actions), the table, the
// log view (data-log) and the timeline.

const STATES = ['', 'RUNNING', 'STARTING', 'BACKOFF', 'STOPPING', 'STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'];

const select = (id: string, options: readonly (readonly [string, string])[]): HTMLSelectElement =>
  el('select', { id }, ...options.map(([value, label]) => el('option', { value }, label)));

const toolbar = (operator: boolean): HTMLElement => {
  const bar = el(
    'div',
    { class: 'toolbar', role: 'search' },
    el('label', { for: 'filter' }, 'Filter'),
    el('input', { id: 'filter', type: 'search', placeholder: 'name', autocomplete: 'off' }),
    el('label', { for: 'state-filter' }, 'State'),
    select(
      'state-filter',
      STATES.map((s) => [s, s === '' ? 'any' : s] as const),
    ),
    el('label', { for: 'sort' }, 'Sort'),
    select('sort', [
      ['name', 'name'],
      ['state', 'state'],
      ['cpu', 'CPU'],
      ['mem', 'memory'],
    ]),
  );
  if (operator) {
    for (const [action, label] of [
      ['start', 'Start all'],
      ['stop', 'Stop all'],
      ['restart', 'Restart all'],
    ] as const) {
      bar.append(el('button', { type: 'button', 'data-action': action, 'data-target': 'all' }, label));
    }
    bar.append(el('button', { type: 'button', 'data-action': 'reread' }, 'Reread config'));
  }
  bar.append(el('button', { type: 'button', 'data-action': 'mainlog' }, 'Daemon log'));
  bar.append(el('span', { class: 'result', 'data-result': '', role: 'status' }));
  return bar;
};

const HEADINGS = [
  'Process',
  'State',
  'PID',
  'Uptime',
  'Restarts',
  'Health',
  'CPU',
  'Memory',
  'Last exit',
  'Actions',
];

const table = (): HTMLTableElement =>
  el(
    'table',
    { id: 'processes', class: 'processes' },
    el('caption', { class: 'sr-only' }, 'Processes by group'),
    el('thead', {}, el('tr', {}, ...HEADINGS.map((h) => el('th', { scope: 'col' }, h)))),
  );

const logView = (operator: boolean): HTMLElement =>
  el(
    'section',
    { id: 'log', class: 'log', 'data-log': '', hidden: '', 'aria-labelledby': 'log-title' },
    el('h2', { id: 'log-title' }, 'Log'),
    el(
      'div',
      { class: 'log-tools' },
      el('label', { for: 'log-stream' }, 'Stream'),
      select('log-stream', [
        ['stdout', 'stdout'],
        ['stderr', 'stderr'],
      ]),
      el('label', {}, el('input', { id: 'log-follow', type: 'checkbox', checked: '' }), ' Follow'),
      el('label', { for: 'log-search' }, 'Search'),
      el('input', { id: 'log-search', type: 'search', autocomplete: 'off' }),
      el('span', { id: 'log-hits', role: 'status' }),
      el('a', { id: 'log-download', href: '#' }, 'Download'),
      el('button', { type: 'button', id: 'log-close' }, 'Close'),
      ...(operator ? logTools() : []),
      el('span', { class: 'result', 'data-result': '', role: 'status' }),
    ),
    el('pre', { id: 'log-text', tabindex: '0', role: 'log', 'aria-live': 'off', 'aria-label': 'log text' }),
  );

const timeline = (): HTMLElement =>
  el(
    'section',
    { id: 'timeline', class: 'timeline', 'aria-labelledby': 'timeline-title' },
    el('h2', { id: 'timeline-title' }, 'Recent events'),
    el('ol', {
      id: 'timeline-list',
      reversed: '',
      tabindex: '0',
      'aria-label': 'recent events, newest first',
    }),
  );

export const buildLayout = (root: HTMLElement, operator: boolean): void => {
  root.replaceChildren(
    toolbar(operator),
    ...(operator ? [configPanel()] : []),
    el('div', { class: 'table-wrap' }, table()),
    logView(operator),
    timeline(),
  );
};
