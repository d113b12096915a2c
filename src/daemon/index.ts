export { runDaemon, type DaemonOptions } from './run.js';
export type { LogFormat } from './logger.js';
