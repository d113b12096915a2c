import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TendError } from '../errors/index.js';
import {
  restartAll,
  restartProcess,
  startAll,
  startProcess,
  stopAll,
  stopProcess,
  type OperationResult,
  type ReloadReport,
  type Supervisor,
} from '../supervisor/index.js';

// The JSON API (/api/v1). Inputs are validated against these schemas before any handler runs;
// errors use the catalogue's envelope `{"error": {"code", "message", "hint"}}`.

export interface DaemonControl {
  readonly version: string;
  readonly pid: number;
  reload(): Promise<ReloadReport>;
}

const ProcessParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 256 }) });
const ActionParams = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 256 }),
  action: Type.Union([Type.Literal('start'), Type.Literal('stop'), Type.Literal('restart')]),
});
const WaitQuery = Type.Object(
  { wait: Type.Optional(Type.Boolean({ default: true })) },
  { additionalProperties: false },
);

type Action = Static<typeof ActionParams>['action'];

export interface ResultBody {
  readonly name: string;
  readonly group: string;
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

const toBody = (r: OperationResult): ResultBody =>
  r.error === null
    ? { name: r.name, group: r.group, ok: true }
    : { name: r.name, group: r.group, ok: false, error: { code: r.error.code, message: r.error.message } };

/**
 * `all` means every process; a bare name that is a group but not a process means the whole group
 * (friendlier than supervisord, which answers BAD_NAME there); anything else is a namespec.
 */
export const expandName = (sup: Supervisor, name: string): string => {
  if (name === 'all') return 'all';
  if (!name.includes(':') && sup.group(name) !== undefined && sup.group(name)?.processes.has(name) !== true) {
    return `${name}:*`;
  }
  return name;
};

const run = async (
  sup: Supervisor,
  name: string,
  action: Action,
  wait: boolean,
): Promise<OperationResult[]> => {
  const target = expandName(sup, name);
  if (target === 'all') {
    if (action === 'start') return startAll(sup, wait);
    if (action === 'stop') return stopAll(sup, wait);
    return restartAll(sup, wait);
  }
  if (action === 'restart') {
    const results = await restartProcess(sup, target, wait);
    const failure = results.length === 1 && !target.endsWith(':*') ? results[0]?.error : null;
    if (failure !== null && failure !== undefined) throw failure;
    return results;
  }
  const outcome =
    action === 'start' ? await startProcess(sup, target, wait) : await stopProcess(sup, target, wait);
  if (outcome !== true) return outcome;
  const { name: processName, group } = sup.target(target).entry.proc.config;
  return [{ name: processName, group, error: null }];
};

export const registerRest = (app: FastifyInstance, sup: Supervisor, daemon: DaemonControl): void => {
  app.get('/api/v1/processes', () => sup.allInfo());

  app.get<{ Params: Static<typeof ProcessParams> }>(
    '/api/v1/processes/:name',
    { schema: { params: ProcessParams } },
    (request) => sup.info(request.params.name),
  );

  app.post<{ Params: Static<typeof ActionParams>; Querystring: Static<typeof WaitQuery> }>(
    '/api/v1/processes/:name/:action',
    { schema: { params: ActionParams, querystring: WaitQuery } },
    async (request) => {
      const { name, action } = request.params;
      const results = await run(sup, name, action, request.query.wait ?? true);
      return { results: results.map(toBody) };
    },
  );

  app.get('/api/v1/daemon', () => ({
    pid: daemon.pid,
    version: daemon.version,
    identifier: sup.config.supervisord.identifier,
    state: sup.state,
    config: sup.config.file,
    summary: sup.summary(),
  }));

  app.post('/api/v1/daemon/reload', async () => {
    if (sup.state !== 'RUNNING') throw new TendError('SHUTDOWN_STATE');
    return daemon.reload();
  });
};
