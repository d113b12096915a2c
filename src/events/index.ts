export { EventBus } from './bus.js';
export type {
  EventMap,
  EventName,
  GroupEvent,
  ProcessRef,
  ProcessStateEvent,
  SupervisorStateEvent,
} from './types.js';
