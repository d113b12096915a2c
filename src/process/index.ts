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
  runCommand,
  selectSpawner,
  signaller,
  spawnLifeline,
  type Lifeline,
  type SpawnerChoice,
  type SpawnerKind,
} from './spawn.js';
export { type RunOptions, type RunResult } from './run-command.js';
export { closeListenSocket, ListenFailure, openListenSocket } from './listen-socket.js';
export { startOrphanReaper, type OrphanReaper, type ReapedOrphan, type ReaperMode } from './reaper.js';
export {
  SpawnFailure,
  type ChildExit,
  type RlimitRequest,
  type RlimitResource,
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
export { RestartBudget, reserve as reserveRestart, type RestartBudgetConfig } from './restart-budget.js';
export { describe, formatStopTime, formatUptime } from './description.js';
export { locateCommand, resolveCommand, searchPath } from './command.js';
export { decodeExit, signalNumber } from './exit-status.js';
export { pyRepr } from './pyrepr.js';
export * from './states.js';
export { parseSignal } from './signals.js';
export { nativeLineFormat } from './native.js';
