import type { FastifyInstance } from 'fastify';
import {
  clearLogsOf,
  clearMainLog,
  readMainLog,
  readProcessLog,
  tailProcessLog,
  type OperationResult,
  type Supervisor,
} from '../../supervisor/index.js';
import type { DaemonControl } from '../daemon-control.js';
import type { StreamLimits } from '../stream-sink.js';
import { registerFollow } from './follow.js';
import { expandName, resultsBody } from './results.js';
import { NameParams, RangeQuery, StreamParams } from './schemas.js';

// Log reads with supervisord's offset/length rules (a negative offset with length 0 reads the
// last bytes; default: the last 1600, as `supervisorctl tail`), tails with the overflow flag,
// clearing, and the NDJSON follow stream (follow.ts).

const DEFAULT_TAIL = 1600;

const clearAll = (sup: Supervisor, name: string): OperationResult[] => {
  const target = expandName(sup, name);
  return clearLogsOf(sup, target === 'all' ? sup.targets() : sup.resolve(target).targets);
};

export const registerLogs = (
  app: FastifyInstance,
  sup: Supervisor,
  daemon: DaemonControl,
  limits: StreamLimits,
): void => {
  app.get<{ Params: StreamParams; Querystring: RangeQuery }>(
    '/api/v1/processes/:name/logs/:stream',
    { schema: { params: StreamParams, querystring: RangeQuery } },
    (request) => {
      const { name, stream } = request.params;
      const { offset = -DEFAULT_TAIL, length = 0 } = request.query;
      sup.assertRunning();
      return { data: readProcessLog(sup, name, stream, offset, length).toString('utf8') };
    },
  );

  app.get<{ Params: StreamParams; Querystring: RangeQuery }>(
    '/api/v1/processes/:name/logs/:stream/tail',
    { schema: { params: StreamParams, querystring: RangeQuery } },
    (request) => {
      const { name, stream } = request.params;
      const { offset = 0, length = DEFAULT_TAIL } = request.query;
      sup.assertRunning();
      const tail = tailProcessLog(sup, name, stream, offset, length);
      return { data: tail.bytes.toString('utf8'), offset: tail.offset, overflow: tail.overflow };
    },
  );

  app.delete<{ Params: NameParams }>(
    '/api/v1/processes/:name/logs',
    { schema: { params: NameParams } },
    (request) => {
      sup.assertRunning();
      return resultsBody(clearAll(sup, request.params.name));
    },
  );

  registerMainLog(app, sup, daemon);
  registerFollow(app, sup, daemon, limits);
};

const registerMainLog = (app: FastifyInstance, sup: Supervisor, daemon: DaemonControl): void => {
  app.get<{ Querystring: RangeQuery }>(
    '/api/v1/daemon/log',
    { schema: { querystring: RangeQuery } },
    (request) => {
      const { offset = -DEFAULT_TAIL, length = 0 } = request.query;
      sup.assertRunning();
      return { data: readMainLog(daemon.mainLog, offset, length).toString('utf8') };
    },
  );

  app.delete('/api/v1/daemon/log', () => {
    sup.assertRunning();
    clearMainLog(daemon.mainLog);
    return { ok: true };
  });
};
