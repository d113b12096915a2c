import { TendError } from '../../errors/index.js';
import {
  SUPERVISORD_TYPES,
  TEND_EVENT_TYPES,
  expandTypes,
  isEventTypeName,
  type EventType,
  type TendEvent,
} from '../../events/index.js';
import type { Supervisor } from '../../supervisor/index.js';

// The filters of GET /api/v1/events. `types` names event types as `events=` does (parents and
// EVENT allowed, case-insensitive); without it a stream gets every type but the ticks. `names`
// are programs, groups or namespecs (`web`, `workers`, `workers:*`, `workers:w1`) that exist now;
// with it, only events about those processes and groups come (no daemon-wide ones).

export const DEFAULT_TYPES: readonly EventType[] = [
  ...SUPERVISORD_TYPES.filter((t) => !t.startsWith('TICK_')),
  ...TEND_EVENT_TYPES,
];

const MAX_ITEMS = 64;

const split = (list: string, what: string): string[] => {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new TendError('VALIDATION', `${what} is empty`);
  if (items.length > MAX_ITEMS)
    throw new TendError('VALIDATION', `${what} lists more than ${MAX_ITEMS} items`);
  return items;
};

export const parseTypes = (list: string | undefined): readonly EventType[] => {
  if (list === undefined) return DEFAULT_TYPES;
  const names = split(list, 'types').map((t) => t.toUpperCase());
  const unknown = names.find((n) => !isEventTypeName(n));
  if (unknown !== undefined) {
    throw new TendError('VALIDATION', `unknown event type ${unknown}`, {
      hint: "types are supervisord event types (PROCESS_STATE, PROCESS_STATE_RUNNING, EVENT…) or tend's (PROCESS_RESTART…)",
    });
  }
  return [...expandTypes(names.filter(isEventTypeName))];
};

type Match = (event: TendEvent) => boolean;

const matcherFor = (sup: Supervisor, name: string): Match => {
  const colon = name.indexOf(':');
  if (colon === -1) {
    if (sup.group(name) === undefined) throw new TendError('BAD_NAME', `no such process or group: ${name}`);
    return (e) => 'group' in e && e.group === name;
  }
  const group = name.slice(0, colon);
  const process = name.slice(colon + 1);
  if (process === '' || process === '*') {
    if (sup.group(group) === undefined) throw new TendError('BAD_NAME', `no such group: ${group}`);
    return (e) => 'group' in e && e.group === group;
  }
  sup.target(name);
  return (e) => 'group' in e && e.group === group && (!('name' in e) || e.name === process);
};

/** A predicate over events for `names` (undefined or `all`: every event). */
export const parseNames = (sup: Supervisor, list: string | undefined): Match => {
  if (list === undefined) return () => true;
  const names = split(list, 'names');
  if (names.includes('all')) return () => true;
  const matchers = names.map((n) => matcherFor(sup, n));
  return (e) => matchers.some((m) => m(e));
};
