// Event type names and their hierarchy: supervisord's (events.py EventTypes) and tend's own. This
// module imports nothing, so the config layer may validate `events=` against it and the CLI may
// read it, as every layer reads process/states.ts.

/** supervisord's abstract types and the concrete types under each (REMOTE_COMMUNICATION has none). */
export const SUPERVISORD_TREE = {
  PROCESS_STATE: [
    'PROCESS_STATE_STOPPED',
    'PROCESS_STATE_EXITED',
    'PROCESS_STATE_STARTING',
    'PROCESS_STATE_STOPPING',
    'PROCESS_STATE_BACKOFF',
    'PROCESS_STATE_FATAL',
    'PROCESS_STATE_RUNNING',
    'PROCESS_STATE_UNKNOWN',
  ],
  PROCESS_COMMUNICATION: ['PROCESS_COMMUNICATION_STDOUT', 'PROCESS_COMMUNICATION_STDERR'],
  PROCESS_LOG: ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR'],
  SUPERVISOR_STATE_CHANGE: ['SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE_STOPPING'],
  TICK: ['TICK_5', 'TICK_60', 'TICK_3600'],
  PROCESS_GROUP: ['PROCESS_GROUP_ADDED', 'PROCESS_GROUP_REMOVED'],
} as const;

/**
 * tend's own events. They are children of no supervisord type, not even EVENT: a listener or a
 * stream gets them only by naming them, so a listener written for supervisord never sees them.
 */
export const TEND_EVENT_TYPES = [
  'PROCESS_HEALTH_HEALTHY',
  'PROCESS_HEALTH_UNHEALTHY',
  'PROCESS_READY',
  'PROCESS_RESTART',
  'PROCESS_FLAP_GUARD',
  'LOG_BYTES_DROPPED',
  'ALERT_SENT',
  'ALERT_FAILED',
  'ROLLOUT_STARTED',
  'ROLLOUT_STEP',
  'ROLLOUT_SUCCEEDED',
  'ROLLOUT_FAILED',
  'ROLLOUT_ABORTED',
] as const;

type Tree = typeof SUPERVISORD_TREE;
export type SupervisordParent = keyof Tree;
export type SupervisordType = Tree[SupervisordParent][number] | 'REMOTE_COMMUNICATION';
export type TendEventType = (typeof TEND_EVENT_TYPES)[number];
/** A type an event is emitted as. */
export type EventType = SupervisordType | TendEventType;
/** Any name a subscription may use: a concrete type, a supervisord parent, or EVENT (all of supervisord's). */
export type EventTypeName = EventType | SupervisordParent | 'EVENT';

/** The concrete types a subscription to `T` receives. */
export type TypesOf<T extends EventTypeName> = T extends 'EVENT'
  ? SupervisordType
  : T extends SupervisordParent
    ? Tree[T][number]
    : T;

const PARENTS = Object.keys(SUPERVISORD_TREE) as SupervisordParent[];

export const SUPERVISORD_TYPES: readonly SupervisordType[] = [
  ...PARENTS.flatMap((p) => SUPERVISORD_TREE[p]),
  'REMOTE_COMMUNICATION',
];

export const EVENT_TYPES: readonly EventType[] = [...SUPERVISORD_TYPES, ...TEND_EVENT_TYPES];

/** Every name `events=` and `?types=` accept, in events.py's order, then tend's. */
export const EVENT_TYPE_NAMES: readonly EventTypeName[] = [
  'EVENT',
  ...PARENTS.flatMap((p): EventTypeName[] => [p, ...SUPERVISORD_TREE[p]]),
  'REMOTE_COMMUNICATION',
  ...TEND_EVENT_TYPES,
];

const NAMES: ReadonlySet<string> = new Set(EVENT_TYPE_NAMES);

export const isEventTypeName = (value: string): value is EventTypeName => NAMES.has(value);

/** The concrete types one name stands for (a parent expands to its children, EVENT to all of supervisord's). */
export const typesOf = <T extends EventTypeName>(name: T): readonly TypesOf<T>[] => {
  if (name === 'EVENT') return SUPERVISORD_TYPES as readonly TypesOf<T>[];
  if (Object.hasOwn(SUPERVISORD_TREE, name)) {
    return SUPERVISORD_TREE[name as SupervisordParent] as readonly EventType[] as readonly TypesOf<T>[];
  }
  return [name as TypesOf<T>];
};

/** The concrete types a list of names stands for, without repeats. */
export const expandTypes = (names: readonly EventTypeName[]): ReadonlySet<EventType> =>
  new Set(names.flatMap((n) => typesOf(n)));
