import type { FastifyInstance } from 'fastify';
import type { AlertService } from '../../alerts/index.js';
import { TendError } from '../../errors/index.js';
import { NameParams } from './schemas.js';

// The [alert:x] sections in force and what each has done (GET), and `tend alert test NAME`
// (POST …/test: one message now; 502 ALERT_DELIVERY with the receiver's answer when it fails).

export const registerAlerts = (app: FastifyInstance, alerts: AlertService | null): void => {
  app.get('/api/v1/alerts', () => ({ alerts: alerts?.status() ?? [] }));

  app.post<{ Params: NameParams }>(
    '/api/v1/alerts/:name/test',
    { schema: { params: NameParams } },
    async (request) => {
      if (alerts === null) throw new TendError('NOT_FOUND', 'this daemon sends no alerts');
      return alerts.test(request.params.name);
    },
  );
};
