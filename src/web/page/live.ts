import { call, processUrl } from './api.js';
import { byId, el, setText } from './dom.js';
import { applyStats, rows, upsert, type Info } from './model.js';

// Live updates: the event stream says which processes changed (their rows are fetched again,
// coalesced over 100 ms, or the whole list when many changed at once); the stats stream brings
// CPU and memory. Both reconnect by themselves (EventSource); meanwhile a banner says so, and
// after a reconnect the whole list is fetched again, since events may have been missed.

const TYPES = [
  'PROCESS_STATE',
  'PROCESS_GROUP',
  'SUPERVISOR_STATE_CHANGE',
  'PROCESS_HEALTH_HEALTHY',
  'PROCESS_HEALTH_UNHEALTHY',
  'PROCESS_READY',
  'PROCESS_RESTART',
  'PROCESS_FLAP_GUARD',
  'LOG_BYTES_DROPPED',
].join(',');

export interface LiveHooks {
  readonly changed: (keys: readonly string[] | 'all') => void;
  readonly stats: (keys: readonly string[]) => void;
}

interface BusEvent {
  readonly group?: string;
  readonly name?: string;
  readonly from?: string;
  readonly to?: string;
  readonly reason?: string;
  readonly detail?: string | null;
  readonly spawnerr?: string;
  readonly time?: number;
}

const dirty = new Set<string>();
let whole = false;
let timer: number | null = null;

export const refreshAll = async (hooks: LiveHooks): Promise<void> => {
  const list = await call<Info[]>('GET', '/api/v1/processes?tend=true');
  const seen = new Set<string>();
  for (const info of list) {
    upsert(info);
    seen.add(`${info.group}:${info.name}`);
  }
  for (const key of [...rows.keys()]) if (!seen.has(key)) rows.delete(key);
  hooks.changed('all');
};

const flush = async (hooks: LiveHooks): Promise<void> => {
  timer = null;
  const keys = [...dirty];
  dirty.clear();
  if (whole || keys.length > 20) {
    whole = false;
    await refreshAll(hooks);
    return;
  }
  const infos = await Promise.all(
    keys.map((k) => call<Info>('GET', `${processUrl(k)}?tend=true`).catch(() => null)),
  );
  for (const [i, info] of infos.entries()) {
    if (info === null) rows.delete(keys[i] ?? '');
    else upsert(info);
  }
  hooks.changed(keys);
};

const schedule = (hooks: LiveHooks): void => {
  timer ??= window.setTimeout(() => void flush(hooks).catch(() => undefined), 100);
};

const describe = (type: string, e: BusEvent): string => {
  if (e.to !== undefined) return `${e.from ?? ''} → ${e.to}${e.spawnerr ? ` (${e.spawnerr})` : ''}`;
  if (e.reason !== undefined) return `restart: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`;
  if (typeof e.detail === 'string') return `${type}: ${e.detail}`;
  return type;
};

const timeline = (type: string, e: BusEvent): void => {
  const list = byId('timeline-list');
  const who = e.group === undefined ? 'daemon' : e.name === undefined ? e.group : `${e.group}:${e.name}`;
  const when = new Date(e.time ?? Date.now()).toLocaleTimeString();
  list.prepend(el('li', {}, el('time', {}, when), ' ', el('strong', {}, who), ' ', describe(type, e)));
  while (list.childElementCount > 200) list.lastElementChild?.remove();
};

const banner = (text: string): void => {
  const conn = byId('conn');
  setText(conn, text);
  conn.classList.toggle('down', text !== '');
};

const onEvent =
  (hooks: LiveHooks) =>
  (message: MessageEvent<string>): void => {
    const e = JSON.parse(message.data) as BusEvent;
    timeline(message.type, e);
    if (message.type.startsWith('PROCESS_GROUP') || e.group === undefined) whole = true;
    else if (e.name !== undefined) dirty.add(`${e.group}:${e.name}`);
    schedule(hooks);
  };

const openEvents = (hooks: LiveHooks): void => {
  const source = new EventSource(`/api/v1/events?types=${TYPES}&history=50`);
  let lost = false;
  source.onopen = () => {
    banner('');
    if (lost) void refreshAll(hooks).catch(() => undefined);
    lost = false;
  };
  source.onerror = () => {
    lost = true;
    banner('Disconnected from tend: reconnecting…');
    // An EventSource cannot see a 401: ask, so that an ended session says so.
    void call('GET', '/web/session').catch(() => undefined);
  };
  const handler = onEvent(hooks);
  for (const type of TYPES.split(',')) source.addEventListener(type, handler);
  for (const sub of [
    'PROCESS_STATE_STOPPED',
    'PROCESS_STATE_STARTING',
    'PROCESS_STATE_RUNNING',
    'PROCESS_STATE_BACKOFF',
    'PROCESS_STATE_STOPPING',
    'PROCESS_STATE_EXITED',
    'PROCESS_STATE_FATAL',
    'PROCESS_STATE_UNKNOWN',
    'PROCESS_GROUP_ADDED',
    'PROCESS_GROUP_REMOVED',
    'SUPERVISOR_STATE_CHANGE_RUNNING',
    'SUPERVISOR_STATE_CHANGE_STOPPING',
  ]) {
    source.addEventListener(sub, handler);
  }
};

const openStats = (hooks: LiveHooks): void => {
  const source = new EventSource('/web/stats');
  source.onmessage = (message: MessageEvent<string>) => {
    const frame = JSON.parse(message.data) as { s: Record<string, [number | null, number] | null> };
    const keys = Object.keys(frame.s).filter((key) => applyStats(key, frame.s[key] ?? null) !== undefined);
    hooks.stats(keys);
  };
};

export const goLive = (hooks: LiveHooks): void => {
  openEvents(hooks);
  openStats(hooks);
};
