export { EventBus, type BusOptions } from './bus.js';
export { EventHistory, DEFAULT_HISTORY, eventCost, type HistoryLimits, type Resume } from './history.js';
export { BoundedQueue, MemoryBudget, type OverflowPolicy, type QueueOptions } from './queue.js';
export {
  ListenerProtocol,
  LISTENER_STATE_CODES,
  MAX_RESULT,
  MAX_RESULT_LINE,
  type ListenerState,
  type Note,
} from './listener-protocol.js';
export { decodeOutput, envelope, payloadOf, pyBytesRepr, pyLength, type Envelope } from './wire.js';
export * from './names.js';
export type * from './types.js';
