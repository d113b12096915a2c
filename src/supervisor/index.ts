export { Supervisor, type SupervisorDeps, type Target } from './supervisor.js';
export { StatsService, type PassCost, type StatsDeps, type StatsRoot } from './stats.js';
export { processConfigSource, processHistory, type TendProcessInfo } from './info.js';
export type { OperationResult, ProcessInfo } from './results.js';
export {
  clearProcessLogs,
  readProcessLog,
  restartAll,
  restartProcess,
  sendStdin,
  settle,
  signalAll,
  signalProcess,
  startAll,
  startAutostart,
  beginRunning,
  startProcess,
  startTarget,
  stopAll,
  stopProcess,
  tailProcessLog,
} from './operations.js';
export { applyReload, type ReloadReport } from './reload.js';
export { shutdown } from './shutdown.js';
export { diffGroups, diffProcesses, type GroupDiff, type ProcessDiff } from './diff.js';
export { cleanupAutoLogs } from './autolog.js';
export { makeNamespec, splitNamespec, type Namespec } from '../protocol/names.js';
export { serverUrl } from './server-url.js';
export { addGroup, removeGroup } from './groups.js';
export { allConfigInfo, type ConfigInfo } from './config-info.js';
export { clearMainLog, readMainLog } from './main-log.js';
export { waitForState } from './wait-state.js';
export {
  rereadConfig,
  startSwapped,
  stopLeaving,
  swapGroup,
  updateGroups,
  type StopReport,
  type UpdateReport,
} from './update.js';
export { restartSupervisor } from './restart.js';
export { clearLogsOf } from './clear.js';
export { rollingRestart, rolloutError, rollsByConfig } from './rolling.js';
export type { RolloutState, RolloutStatus, SurgeInfo } from './rollout.js';
