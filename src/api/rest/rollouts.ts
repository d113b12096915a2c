import type { FastifyInstance } from 'fastify';
import { TendError } from '../../errors/index.js';
import { rollingRestart, rolloutError, rollsByConfig, type Supervisor } from '../../supervisor/index.js';
import { expandName } from './results.js';
import { NameParams, RolloutQuery } from './schemas.js';

// Rolling restarts (docs/zero-downtime.md): start one (whatever the program's restart_strategy),
// list the last of each program with its progress, abort one.

/** The processes a name stands for (`all`: every process). */
const targetsOf = (sup: Supervisor, name: string) => {
  const expanded = expandName(sup, name);
  return expanded === 'all' ? sup.targets() : sup.resolve(expanded).targets;
};

export const registerRollouts = (app: FastifyInstance, sup: Supervisor): void => {
  app.post<{ Params: NameParams; Querystring: RolloutQuery }>(
    '/api/v1/processes/:name/rollout',
    { schema: { params: NameParams, querystring: RolloutQuery } },
    async (request) => {
      const targets = targetsOf(sup, request.params.name);
      if (request.query.configured === true && !rollsByConfig(sup, targets))
        return { rolling: false, rollouts: [] };
      const rollouts = await rollingRestart(sup, targets, request.query.wait ?? true);
      const failure = rolloutError(rollouts);
      if (failure !== null) throw failure;
      return { rolling: true, rollouts };
    },
  );

  app.get('/api/v1/rollouts', () => ({ rollouts: sup.rollouts.list() }));

  // NAME is a program's group (`web`), a `group:program`, or a group of several programs.
  app.post<{ Params: NameParams }>(
    '/api/v1/rollouts/:name/abort',
    { schema: { params: NameParams } },
    async (request) => {
      const name = request.params.name.replace(/:\*?$/, '');
      const running = sup.rollouts.running(name);
      if (running.length === 0) {
        throw new TendError('NOT_FOUND', `no rolling restart of ${name} is in progress`, {
          faultDetail: name,
        });
      }
      for (const r of running) r.abort('aborted by request');
      await Promise.all(running.map((r) => r.finished));
      return { rollouts: running.map((r) => r.status()) };
    },
  );
};
