import type { FastifyInstance } from 'fastify';
import type { Supervisor } from '../../supervisor/index.js';
import type { DaemonControl } from '../daemon-control.js';
import type { StreamLimits } from '../stream-sink.js';
import { registerDaemon } from './daemon.js';
import { registerLogs } from './logs.js';
import { registerProcesses } from './processes.js';
import { registerRollouts } from './rollouts.js';

// The JSON API (/api/v1): the operations of the XML-RPC interface with validated inputs and
// the catalogue's error envelope `{"error": {"code", "message", "hint"}}`.
export const registerRest = (
  app: FastifyInstance,
  sup: Supervisor,
  daemon: DaemonControl,
  limits: StreamLimits,
): void => {
  registerProcesses(app, sup);
  registerRollouts(app, sup);
  registerLogs(app, sup, daemon, limits);
  registerDaemon(app, sup, daemon);
};

export { expandName, type ResultBody } from './results.js';
