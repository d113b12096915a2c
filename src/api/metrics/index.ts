import type { FastifyInstance } from 'fastify';
import type { AlertStatus } from '../../alerts/index.js';
import type { Supervisor } from '../../supervisor/index.js';
import { EventCounters } from './counters.js';
import { MonotonicCpu } from './monotonic.js';
import { registerMetrics, type MetricsLimits } from './route.js';

// GET /metrics and what it keeps: the counters start observing the bus with the API, before any
// program is started, and stop when the application closes.

export interface MetricsOptions {
  readonly supervisor: Supervisor;
  readonly sseClients: () => number;
  readonly alerts: () => readonly AlertStatus[];
  readonly version: string;
  readonly limits?: MetricsLimits | undefined;
}

export const mountMetrics = (app: FastifyInstance, options: MetricsOptions): void => {
  const sup = options.supervisor;
  const counters = new EventCounters(sup.bus, (group, name) => sup.group(group)?.processes.get(name));
  app.addHook('onClose', (_instance, done) => {
    counters.close();
    done();
  });
  const sources = { ...options, counters, cpu: new MonotonicCpu() };
  registerMetrics(app, sources, options.limits);
};

export { DEFAULT_METRICS_LIMITS, type MetricsLimits } from './route.js';
