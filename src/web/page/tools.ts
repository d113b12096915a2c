import { ApiError, call, processUrl } from './api.js';
import { byId, el, setText } from './dom.js';

// Operator tools besides start/stop/restart: reread the config and see the difference before
// applying it, send a signal, clear a log. Each shows its result or error next to its control.

interface Diff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

const SIGNALS = ['HUP', 'INT', 'TERM', 'USR1', 'USR2', 'QUIT', 'KILL'];

// Hidden (class process-only) while the view shows the daemon's own log.
export const logTools = (): HTMLElement[] => [
  el('label', { for: 'log-signal', class: 'process-only' }, 'Signal'),
  el(
    'select',
    { id: 'log-signal', class: 'process-only' },
    ...SIGNALS.map((s) => el('option', { value: s }, s)),
  ),
  el('button', { type: 'button', 'data-action': 'signal', class: 'process-only' }, 'Send'),
  el('button', { type: 'button', 'data-action': 'clear', class: 'process-only' }, 'Clear log'),
];

export const configPanel = (): HTMLElement =>
  el(
    'section',
    { id: 'config-diff', class: 'config-diff', hidden: '', 'aria-labelledby': 'config-title' },
    el('h2', { id: 'config-title' }, 'Config changes'),
    el('div', { id: 'config-lists' }),
    el('button', { type: 'button', 'data-action': 'apply' }, 'Apply'),
    ' ',
    el('span', { class: 'result', 'data-result': '', role: 'status' }),
  );

const report = (result: Element | null, run: () => Promise<string>): void => {
  setText(result, '…');
  result?.classList.remove('error');
  run().then(
    (text) => {
      setText(result, text);
    },
    (error: unknown) => {
      setText(result, error instanceof ApiError ? error.message : String(error));
      result?.classList.add('error');
    },
  );
};

const list = (title: string, names: readonly string[]): HTMLElement =>
  el(
    'p',
    { 'data-diff': title },
    el('strong', {}, `${title}: `),
    names.length === 0 ? 'none' : names.join(', '),
  );

const showDiff = (diff: Diff): string => {
  const panel = byId('config-diff');
  panel.hidden = false;
  byId('config-lists').replaceChildren(
    list('added', diff.added),
    list('changed', diff.changed),
    list('removed', diff.removed),
  );
  const none = diff.added.length + diff.changed.length + diff.removed.length === 0;
  return none ? 'the config matches what runs' : 'read; apply to act on it';
};

/** Runs an operator tool for a click on `button`; false when the action is not one of these. */
export const runTool = (button: HTMLElement, action: string): boolean => {
  const result = button.parentElement?.querySelector('[data-result]') ?? null;
  const target = byId('log').dataset.log ?? '';
  const tools: Record<string, () => Promise<string>> = {
    reread: async () => showDiff(await call<Diff>('POST', '/api/v1/config/reread')),
    apply: async () => {
      const done = await call<Diff>('POST', '/api/v1/config/update', {});
      return `applied: ${done.added.length} added, ${done.changed.length} changed, ${done.removed.length} removed`;
    },
    signal: async () => {
      const signal = (byId('log-signal') as HTMLSelectElement).value;
      await call('POST', `${processUrl(target)}/signal`, { signal });
      return `sent SIG${signal}`;
    },
    clear: async () => {
      await call('DELETE', `${processUrl(target)}/logs`);
      return 'cleared';
    },
  };
  const tool = tools[action];
  if (tool === undefined) return false;
  report(result, tool);
  return true;
};
