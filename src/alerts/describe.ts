import type { EventOf, ProcessStateEvent, TendEvent } from '../events/index.js';

// What an event means to someone reading an alert, in two short phrases: `what` happened (the
// headline) and `why`, when tend knows a reason (the exit status, the failing check, the flap
// guard's count). The raw event goes along in the JSON body for machines.

export interface Account {
  readonly what: string;
  readonly why: string | null;
}

const exitPhrase = (status: number | null): string =>
  status === null ? 'unknown exit status' : status === -1 ? 'killed by a signal' : `exit status ${status}`;

const stateAccount = (e: ProcessStateEvent): Account => {
  const why = e.spawnerr === '' ? null : e.spawnerr;
  switch (e.to) {
    case 'EXITED':
      return {
        what: `exited ${e.expected ? 'as expected' : 'unexpectedly'} (${exitPhrase(e.exitStatus)}, pid ${e.pid})`,
        why,
      };
    case 'FATAL':
      return { what: 'gave up: FATAL, it will not be restarted', why: why ?? 'too many failed starts' };
    case 'BACKOFF':
      return { what: `failed to start (try ${e.tries})`, why };
    case 'STOPPED':
      return { what: `stopped (${exitPhrase(e.exitStatus)})`, why };
    default:
      return { what: `${e.from} -> ${e.to}${e.pid === 0 ? '' : ` (pid ${e.pid})`}`, why };
  }
};

const ACCOUNTS: Partial<Record<TendEvent['type'], (e: never) => Account>> = {
  PROCESS_HEALTH_UNHEALTHY: (e: EventOf<'PROCESS_HEALTH_UNHEALTHY'>) => ({
    what: `unhealthy: ${e.check} failed ${e.failures} times in a row`,
    why: e.detail,
  }),
  PROCESS_HEALTH_HEALTHY: (e: EventOf<'PROCESS_HEALTH_HEALTHY'>) => ({
    what: `healthy again (${e.check})`,
    why: null,
  }),
  PROCESS_FLAP_GUARD: (e: EventOf<'PROCESS_FLAP_GUARD'>) => ({
    what: 'crash loop: stopped restarting it (flap guard)',
    why: `${e.restarts} restarts within ${e.windowSecs}s (restart_limit = ${e.limit})`,
  }),
  PROCESS_RESTART: (e: EventOf<'PROCESS_RESTART'>) => ({ what: `restarted (${e.reason})`, why: e.detail }),
  PROCESS_READY: (e: EventOf<'PROCESS_READY'>) => ({
    what: `ready after ${e.startupMs} ms (${e.ready})`,
    why: null,
  }),
  LOG_BYTES_DROPPED: (e: EventOf<'LOG_BYTES_DROPPED'>) => ({
    what: `${e.channel} log ${e.path}: ${e.phase}`,
    why: e.error ?? (e.droppedBytes > 0 ? `${e.droppedBytes} bytes dropped` : null),
  }),
  REMOTE_COMMUNICATION: (e: EventOf<'REMOTE_COMMUNICATION'>) => ({
    what: `remote ${e.remoteType}`,
    why: e.data,
  }),
  SUPERVISOR_STATE_CHANGE_RUNNING: () => ({ what: 'the daemon is running', why: null }),
  SUPERVISOR_STATE_CHANGE_STOPPING: () => ({ what: 'the daemon is stopping', why: null }),
  PROCESS_GROUP_ADDED: (e: EventOf<'PROCESS_GROUP_ADDED'>) => ({ what: `group ${e.group} added`, why: null }),
  PROCESS_GROUP_REMOVED: (e: EventOf<'PROCESS_GROUP_REMOVED'>) => ({
    what: `group ${e.group} removed`,
    why: null,
  }),
};

/** The headline and reason of one event. */
export const accountOf = (event: TendEvent): Account => {
  if (event.type.startsWith('PROCESS_STATE_')) return stateAccount(event as ProcessStateEvent);
  if ('data' in event && 'channel' in event) {
    return { what: `wrote to ${event.channel}`, why: event.data.slice(0, 1000) };
  }
  const account = ACCOUNTS[event.type] as ((e: TendEvent) => Account) | undefined;
  return account?.(event) ?? { what: event.type, why: null };
};
