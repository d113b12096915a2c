// [eventlistener:x] pool settings (options.py process_groups_from_parser): events, buffer_size,
// result_handler, and the rule that a listener's stderr may not be redirected into its stdout.
// `events=` takes supervisord's type names and tend's own (events/names.ts).
import { isEventTypeName, type EventTypeName } from '../../events/names.js';
import { configError, need, raw, type Reader } from '../reader.js';
import { EVENTLISTENER_KEYS as K } from '../schema.js';
import { readerWithHere, warn, type LoadState } from '../state.js';
import type { EventListenerConfig } from '../types.js';

export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';

const readEvents = (r: Reader): EventTypeName[] => {
  const events = [...new Set(need(r, { ...K.events, default: '' }).map((e) => e.toUpperCase()))];
  const at = { key: 'events', located: raw(r, 'events') };
  if (events.length === 0) throw configError(r, at, `[${r.section}] section requires an "events" line`);
  const unknown = events.find((e) => !isEventTypeName(e));
  if (unknown !== undefined) {
    throw configError(
      r,
      { ...at, expected: 'event type names' },
      `Unknown event type ${unknown} in [${r.section}] events`,
    );
  }
  return events.filter(isEventTypeName);
};

/** The pool priority and listener settings, read before the section's processes. */
export const readListenerPool = (
  state: LoadState,
  section: string,
): { priority: number; config: EventListenerConfig } => {
  const r = readerWithHere(state, section);
  const priority = need(r, K.priority);
  const bufferSize = need(r, K.buffer_size);
  if (bufferSize < 1) {
    const at = { key: 'buffer_size', located: raw(r, 'buffer_size'), expected: 'at least 1' };
    throw configError(r, at, `[${section}] section sets invalid buffer_size (${bufferSize})`);
  }
  const resultHandler = need(r, K.result_handler);
  if (resultHandler !== DEFAULT_RESULT_HANDLER) {
    const at = raw(r, 'result_handler') ?? r.at;
    const message = `result_handler ${resultHandler} is a Python entry point; tend judges results with ${DEFAULT_RESULT_HANDLER}`;
    warn(state, { file: at.file, line: at.line, section, key: 'result_handler', message });
  }
  const events = readEvents(r);
  if (need(r, K.redirect_stderr)) {
    throw configError(
      r,
      { key: 'redirect_stderr', located: raw(r, 'redirect_stderr') },
      `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
    );
  }
  return { priority, config: { events, bufferSize, resultHandler } };
};
