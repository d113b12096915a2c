export {
  ManagedProcess,
  type AfterStop,
  type LifecycleLog,
  type LogLevel,
  type ProcessDeps,
  type RestartRecord,
} from './managed-process.js';
export { realClock, type Clock, type TimerHandle } from './clock.js';
export {
  realSpawner,
  runCommand,
  spawnLifeline,
  type Lifeline,
  type RunOptions,
  type RunResult,
} from './spawn.js';
export {
  SpawnFailure,
  type ChildExit,
  type SpawnRequest,
  type SpawnedChild,
  type Spawner,
} from './spawner.js';
export {
  InvalidTransition,
  TRANSITIONS,
  type ActionName,
  type LifecycleEvent,
  type LifecycleEventType,
} from './transitions.js';
export * as policy from './policy.js';
export { describe, formatStopTime, formatUptime } from './description.js';
export { locateCommand, resolveCommand, searchPath } from './command.js';
export { decodeExit, signalNumber } from './exit-status.js';
export { pyRepr } from './pyrepr.js';
export * from './states.js';
export { parseSignal } from './signals.js';
