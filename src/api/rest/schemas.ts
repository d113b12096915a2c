import { Type, type Static } from '@sinclair/typebox';
import { PROCESS_STATE_NAMES } from '../../protocol/states.js';

// The JSON API's inputs. Fastify validates params, query strings and bodies against these before
// a handler runs (unknown body fields are refused, not dropped); a failure is a 400 with the
// catalogue's VALIDATION envelope.

const strict = { additionalProperties: false } as const;

export const Name = Type.String({ minLength: 1, maxLength: 256 });
export const NameParams = Type.Object({ name: Name }, strict);
export type NameParams = Static<typeof NameParams>;

export const ActionParams = Type.Object(
  { name: Name, action: Type.Union([Type.Literal('start'), Type.Literal('stop'), Type.Literal('restart')]) },
  strict,
);
export type ActionParams = Static<typeof ActionParams>;

export const WaitQuery = Type.Object({ wait: Type.Optional(Type.Boolean()) }, strict);
export type WaitQuery = Static<typeof WaitQuery>;

/** `?configured=true`: roll only if restart_strategy = rolling says so (else answer rolling: false). */
export const RolloutQuery = Type.Object(
  { wait: Type.Optional(Type.Boolean()), configured: Type.Optional(Type.Boolean()) },
  strict,
);
export type RolloutQuery = Static<typeof RolloutQuery>;

/** `?tend=true` adds tend's own fields (readiness, health, order) under `tend`. */
export const InfoQuery = Type.Object({ tend: Type.Optional(Type.Boolean()) }, strict);
export type InfoQuery = Static<typeof InfoQuery>;

export const SignalBody = Type.Object({ signal: Type.String({ minLength: 1, maxLength: 32 }) }, strict);
export type SignalBody = Static<typeof SignalBody>;

export const StdinBody = Type.Object({ data: Type.String({ maxLength: 256 * 1024 }) }, strict);
export type StdinBody = Static<typeof StdinBody>;

const StateName = Type.Union(PROCESS_STATE_NAMES.map((s) => Type.Literal(s)));
export const WaitBody = Type.Object(
  {
    state: Type.Union([StateName, Type.Array(StateName, { minItems: 1, maxItems: 8 })]),
    /** Seconds. */
    timeout: Type.Number({ minimum: 0, maximum: 86_400 }),
  },
  strict,
);
export type WaitBody = Static<typeof WaitBody>;

const Stream = Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]);
export const StreamParams = Type.Object({ name: Name, stream: Stream }, strict);
export type StreamParams = Static<typeof StreamParams>;

const Offset = Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 53 });
export const RangeQuery = Type.Object(
  { offset: Type.Optional(Offset), length: Type.Optional(Offset) },
  strict,
);
export type RangeQuery = Static<typeof RangeQuery>;

/**
 * `since`: a duration back from now (`10m`, `1.5h`, `2d`, `500ms`) or a time (ISO 8601, or epoch
 * ms); only history that arrived at or after it.
 */
const Since = Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z:.+-]+$' });

export const FollowQuery = Type.Object(
  {
    /** Comma-separated namespecs, groups or `all`. */
    names: Type.String({ minLength: 1, maxLength: 4096 }),
    streams: Type.Optional(Type.String({ pattern: '^(stdout|stderr)(,(stdout|stderr))?$' })),
    lines: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    bytes: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 })),
    since: Type.Optional(Since),
    follow: Type.Optional(Type.Boolean()),
    /** After the history, one object {"historyEnd": true}: where what follows is new output. */
    historyEnd: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type FollowQuery = Static<typeof FollowQuery>;

export const MainFollowQuery = Type.Object(
  {
    lines: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    since: Type.Optional(Since),
    bytes: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 })),
    follow: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type MainFollowQuery = Static<typeof MainFollowQuery>;

export const UpdateBody = Type.Object(
  { groups: Type.Optional(Type.Array(Name, { maxItems: 10_000 })) },
  strict,
);
export type UpdateBody = Static<typeof UpdateBody>;
