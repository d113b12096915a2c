// [eventlistener:x] pool settings (options.py process_groups_from_parser): events, buffer_size,
// result_handler, and the rule that a listener's stderr may not be redirected into its stdout.
import { configError, need, raw, type Reader } from '../reader.js';
import { EVENTLISTENER_KEYS as K } from '../schema.js';
import { readerWithHere, warn, type LoadState } from '../state.js';
import type { EventListenerConfig } from '../types.js';

/** events.py EventTypes: what a listener may subscribe to (abstract types included). */
export const EVENT_TYPES: readonly string[] = [
  'EVENT',
  'PROCESS_STATE',
  'PROCESS_STATE_STOPPED',
  'PROCESS_STATE_EXITED',
  'PROCESS_STATE_STARTING',
  'PROCESS_STATE_STOPPING',
  'PROCESS_STATE_BACKOFF',
  'PROCESS_STATE_FATAL',
  'PROCESS_STATE_RUNNING',
  'PROCESS_STATE_UNKNOWN',
  'PROCESS_COMMUNICATION',
  'PROCESS_COMMUNICATION_STDOUT',
  'PROCESS_COMMUNICATION_STDERR',
  'PROCESS_LOG',
  'PROCESS_LOG_STDOUT',
  'PROCESS_LOG_STDERR',
  'REMOTE_COMMUNICATION',
  'SUPERVISOR_STATE_CHANGE',
  'SUPERVISOR_STATE_CHANGE_RUNNING',
  'SUPERVISOR_STATE_CHANGE_STOPPING',
  'TICK',
  'TICK_5',
  'TICK_60',
  'TICK_3600',
  'PROCESS_GROUP',
  'PROCESS_GROUP_ADDED',
  'PROCESS_GROUP_REMOVED',
];

export const DEFAULT_RESULT_HANDLER = 'supervisor.dispatchers:default_handler';

const readEvents = (r: Reader): string[] => {
  const events = [...new Set(need(r, { ...K.events, default: '' }).map((e) => e.toUpperCase()))];
  const at = { key: 'events', located: raw(r, 'events') };
  if (events.length === 0) throw configError(r, at, `[${r.section}] section requires an "events" line`);
  const unknown = events.find((e) => !EVENT_TYPES.includes(e));
  if (unknown !== undefined) {
    throw configError(
      r,
      { ...at, expected: 'event type names' },
      `Unknown event type ${unknown} in [${r.section}] events`,
    );
  }
  return events;
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
