import { fnmatchRegex, type AlertConfig } from '../config/index.js';
import { expandTypes, type EventType, type TendEvent } from '../events/index.js';
import { makeNamespec } from '../protocol/names.js';

// Which events an [alert:x] is about: its event types (parents expanded), only the unexpected
// PROCESS_STATE_EXITED (an expected exit is not news, as superlance's crashmail), and only the
// programs its globs name. Events that concern no program (ticks, the daemon's state, remote
// communication) pass the program filter only when the alert names every program.

export interface Selector {
  readonly types: ReadonlySet<EventType>;
  /** Whether the alert wants this event. */
  readonly selects: (event: TendEvent) => boolean;
}

/** The program an event is about, as a namespec, or null when it concerns none. */
export const programOf = (event: TendEvent): string | null =>
  'name' in event && 'group' in event && typeof event.name === 'string'
    ? makeNamespec(event.group, event.name)
    : null;

const programMatcher = (globs: readonly string[]): ((event: TendEvent) => boolean) => {
  if (globs.length === 0 || globs.includes('*')) return () => true;
  const patterns = globs.map((g) => fnmatchRegex(g));
  return (event) => {
    if (!('name' in event) || typeof event.name !== 'string') return false;
    const names = [event.group, event.name, `${event.group}:${event.name}`];
    return patterns.some((p) => names.some((n) => p.test(n)));
  };
};

export const selector = (alert: Pick<AlertConfig, 'events' | 'programs'>): Selector => {
  const types = expandTypes(alert.events);
  const matches = programMatcher(alert.programs);
  return {
    types,
    selects: (event) => {
      if (!types.has(event.type)) return false;
      if (event.type === 'PROCESS_STATE_EXITED' && event.expected) return false;
      return matches(event);
    },
  };
};
