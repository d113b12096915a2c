export { Supervisor, type SupervisorDeps, type Target } from './supervisor.js';
export type { TendProcessInfo } from './info.js';
export type { OperationResult, ProcessInfo } from './results.js';
export {
  clearProcessLogs,
  readProcessLog,
  restartAll,
  restartProcess,
  sendStdin,
  signalAll,
  signalProcess,
  startAll,
  startAutostart,
  startProcess,
  stopAll,
  stopProcess,
  tailProcessLog,
} from './operations.js';
export { applyReload, type ReloadReport } from './reload.js';
export { shutdown } from './shutdown.js';
export { diffGroups, diffProcesses, type GroupDiff, type ProcessDiff } from './diff.js';
export { cleanupAutoLogs } from './autolog.js';
export { makeNamespec, splitNamespec, type Namespec } from './names.js';
export { serverUrl } from './server-url.js';
