import type { FastifyInstance } from 'fastify';
import {
  addGroup,
  allConfigInfo,
  removeGroup,
  rereadConfig,
  updateGroups,
  type Supervisor,
} from '../../supervisor/index.js';
import type { DaemonControl } from '../daemon-control.js';
import { API_VERSION, SUPERVISOR_VERSION } from '../xmlrpc/methods/info.js';
import { resultsBody } from './results.js';
import { NameParams, UpdateBody } from './schemas.js';

// The daemon and its configuration: identity, reload (tend's, by difference), supervisord's full
// restart, shutdown, reread, update (restarting only what changed), and groups in or out.

export const registerDaemon = (app: FastifyInstance, sup: Supervisor, daemon: DaemonControl): void => {
  app.get('/api/v1/daemon', () => ({
    pid: daemon.pid,
    version: daemon.version,
    supervisorVersion: SUPERVISOR_VERSION,
    apiVersion: API_VERSION,
    identification: sup.config.supervisord.identifier,
    state: sup.state,
    config: sup.config.file,
    summary: sup.summary(),
    // The CPU and memory sampler: null figures and a reason where there is no /proc.
    stats: { unavailable: sup.stats.unavailable, lastPass: sup.stats.lastPass },
  }));

  app.post('/api/v1/daemon/reload', async () => {
    sup.assertRunning();
    return daemon.reload();
  });

  app.post('/api/v1/daemon/restart', () => {
    sup.assertRunning();
    daemon.restart();
    return { ok: true };
  });

  app.post('/api/v1/daemon/shutdown', () => {
    sup.assertRunning();
    daemon.shutdown();
    return { ok: true };
  });

  registerConfig(app, sup, daemon);
};

const registerConfig = (app: FastifyInstance, sup: Supervisor, daemon: DaemonControl): void => {
  app.get('/api/v1/config', () => allConfigInfo(sup));

  app.post('/api/v1/config/reread', () => rereadConfig(sup, daemon.readConfig()));

  app.post<{ Body: UpdateBody }>(
    '/api/v1/config/update',
    { schema: { body: UpdateBody } },
    async (request) => {
      sup.assertRunning();
      const next = daemon.readConfig();
      const only = request.body.groups ?? [];
      const known = new Set([...sup.groups().map((g) => g.config.name), ...next.groups.map((g) => g.name)]);
      const unknown = only.filter((g) => !known.has(g));
      const report = await updateGroups(sup, next, only);
      const stopped = Object.fromEntries(
        Object.entries(report.stopped).map(([g, r]) => [g, resultsBody(r).results]),
      );
      return { added: report.added, changed: report.changed, removed: report.removed, stopped, unknown };
    },
  );

  app.post<{ Params: NameParams }>('/api/v1/groups/:name', { schema: { params: NameParams } }, (request) => {
    addGroup(sup, request.params.name);
    return { ok: true };
  });

  app.delete<{ Params: NameParams }>(
    '/api/v1/groups/:name',
    { schema: { params: NameParams } },
    (request) => {
      removeGroup(sup, request.params.name);
      return { ok: true };
    },
  );
};
