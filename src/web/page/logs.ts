import { stream } from './api.js';
import { byId, el, setText } from './dom.js';

// The log view: the recent output of one process (stdout or stderr) or of the daemon, then, when
// following, everything written after, read from the NDJSON follow stream. Search marks every hit
// (case-insensitive) with <mark>; the text itself only ever goes in as text nodes.

const KEEP = 1024 * 1024;
const LINES = 500;

interface Current {
  target: string | null;
  text: string;
  abort: AbortController | null;
}

const current: Current = { target: null, text: '', abort: null };

const sourceUrl = (target: string | null, streamName: string, follow: boolean): string =>
  target === null
    ? `/api/v1/daemon/log/follow?lines=${LINES}&follow=${follow}`
    : `/api/v1/logs?names=${encodeURIComponent(target)}&streams=${streamName}&lines=${LINES}&follow=${follow}`;

const highlight = (pre: HTMLElement, text: string, query: string): number => {
  if (query === '') {
    pre.replaceChildren(text);
    return 0;
  }
  const nodes: (Node | string)[] = [];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  let from = 0;
  let hits = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
    nodes.push(text.slice(from, at), el('mark', {}, text.slice(at, at + needle.length)));
    from = at + needle.length;
    hits += 1;
  }
  nodes.push(text.slice(from));
  pre.replaceChildren(...nodes);
  return hits;
};

const show = (): void => {
  const pre = byId('log-text');
  const query = (byId('log-search') as HTMLInputElement).value;
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  const hits = highlight(pre, current.text, query);
  setText(byId('log-hits'), query === '' ? '' : `${hits} match${hits === 1 ? '' : 'es'}`);
  if (atBottom && query === '') pre.scrollTop = pre.scrollHeight;
};

const append = (data: string): void => {
  current.text += data;
  if (current.text.length > KEEP) current.text = current.text.slice(current.text.length - KEEP);
  show();
};

const readLines = async (res: Response, signal: AbortSignal): Promise<void> => {
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (reader === undefined) return;
  let pending = '';
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) return;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    const data = lines.map((l) => (JSON.parse(l) as { data?: string }).data ?? '').join('');
    if (data !== '') append(data);
  }
};

const load = async (): Promise<void> => {
  current.abort?.abort();
  const abort = new AbortController();
  current.abort = abort;
  current.text = '';
  show();
  const streamName = (byId('log-stream') as HTMLSelectElement).value;
  const follow = (byId('log-follow') as HTMLInputElement).checked;
  try {
    await readLines(await stream(sourceUrl(current.target, streamName, follow), abort.signal), abort.signal);
  } catch (error) {
    if (!abort.signal.aborted)
      append(`\n[tend: ${error instanceof Error ? error.message : String(error)}]\n`);
  }
};

const downloadLink = (): void => {
  const link = byId('log-download');
  const streamName = (byId('log-stream') as HTMLSelectElement).value;
  link.hidden = current.target === null;
  if (current.target !== null) {
    link.setAttribute('href', `/web/download/${encodeURIComponent(current.target)}/${streamName}`);
  }
};

/** Opens the view on `target` (GROUP:NAME), or on the daemon's own log for null. */
export const openLog = (target: string | null): void => {
  current.target = target;
  const section = byId('log');
  section.hidden = false;
  section.dataset.log = target ?? 'daemon';
  setText(byId('log-title'), target === null ? 'Daemon log' : `Log of ${target}`);
  (byId('log-stream') as HTMLSelectElement).disabled = target === null;
  for (const node of section.querySelectorAll<HTMLElement>('.process-only')) node.hidden = target === null;
  downloadLink();
  void load();
  section.scrollIntoView({ block: 'nearest' });
};

export const closeLog = (): void => {
  current.abort?.abort();
  current.abort = null;
  byId('log').hidden = true;
};

export const wireLog = (): void => {
  byId('log-stream').addEventListener('change', () => {
    downloadLink();
    void load();
  });
  byId('log-follow').addEventListener('change', () => void load());
  byId('log-search').addEventListener('input', show);
  byId('log-close').addEventListener('click', closeLog);
};
