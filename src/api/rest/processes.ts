import type { FastifyInstance } from 'fastify';
import {
  restartAll,
  restartProcess,
  rollingRestart,
  rolloutError,
  rollsByConfig,
  sendStdin,
  signalAll,
  signalProcess,
  startAll,
  startProcess,
  stopAll,
  stopProcess,
  waitForState,
  processConfigSource,
  processHistory,
  type OperationResult,
  type Supervisor,
} from '../../supervisor/index.js';
import { expandName, resultsBody, single } from './results.js';
import {
  ActionParams,
  InfoQuery,
  NameParams,
  SignalBody,
  StdinBody,
  WaitBody,
  WaitQuery,
} from './schemas.js';

// /api/v1/processes: list, inspect, start, stop, restart, signal, write to stdin, wait for a
// state. A name is a namespec (`web`, `workers:w1`), a group (`workers`, `workers:*`) or `all`.

type Action = ActionParams['action'];

const runAction = async (
  sup: Supervisor,
  name: string,
  action: Action,
  wait: boolean,
): Promise<OperationResult[]> => {
  const target = expandName(sup, name);
  if (target === 'all') {
    if (action === 'start') return startAll(sup, wait);
    if (action === 'stop') return (await stopAll(sup, wait)).toReversed();
    return restartAll(sup, wait);
  }
  if (action === 'restart') {
    // The JSON API's restart follows restart_strategy (XML-RPC has no restart: supervisorctl
    // stops and starts, as supervisord means it).
    const targets = sup.resolve(target).targets;
    if (rollsByConfig(sup, targets)) {
      const failure = rolloutError(await rollingRestart(sup, targets, wait));
      if (failure !== null) throw failure;
      return targets.map((t) => ({
        name: t.entry.proc.config.name,
        group: t.group.config.name,
        error: null,
      }));
    }
    const results = await restartProcess(sup, target, wait);
    const failure = results.length === 1 && !target.endsWith(':*') ? results[0]?.error : null;
    if (failure !== null && failure !== undefined) throw failure;
    return results;
  }
  if (action === 'start') {
    const outcome = await startProcess(sup, target, wait);
    return outcome === true ? single(sup, target) : outcome;
  }
  // Stopped highest priority first; listed in priority order, as supervisord lists them.
  const outcome = await stopProcess(sup, target, wait);
  return outcome === true ? single(sup, target) : outcome.toReversed();
};

const runSignal = async (sup: Supervisor, name: string, signal: string): Promise<OperationResult[]> => {
  const target = expandName(sup, name);
  if (target === 'all') return signalAll(sup, signal);
  const outcome = await signalProcess(sup, target, signal);
  return outcome === true ? single(sup, target) : outcome;
};

export const registerProcesses = (app: FastifyInstance, sup: Supervisor): void => {
  // Exactly supervisord's getProcessInfo fields, so tools written against them read these as they
  // are; with ?tend=true, tend's own under `tend` (readiness, health, order).
  // With ?tend=true the CPU and memory figures are at most a second old: a pass is taken if not.
  app.get<{ Querystring: InfoQuery }>(
    '/api/v1/processes',
    { schema: { querystring: InfoQuery } },
    async (request) => {
      if (request.query.tend !== true) return sup.allInfo();
      await sup.stats.read(1000);
      const extra = sup.allTendInfo();
      return sup.allInfo().map((info, i) => ({ ...info, tend: extra[i] }));
    },
  );

  app.get<{ Params: NameParams; Querystring: InfoQuery }>(
    '/api/v1/processes/:name',
    { schema: { params: NameParams, querystring: InfoQuery } },
    async (request) => {
      const info = sup.info(request.params.name);
      if (request.query.tend !== true) return info;
      await sup.stats.read(1000);
      return { ...info, tend: sup.tendInfo(request.params.name) };
    },
  );

  app.post<{ Params: ActionParams; Querystring: WaitQuery }>(
    '/api/v1/processes/:name/:action',
    { schema: { params: ActionParams, querystring: WaitQuery } },
    async (request) => {
      const { name, action } = request.params;
      return resultsBody(await runAction(sup, name, action, request.query.wait ?? true));
    },
  );

  registerProcessInput(app, sup);
  registerProcessDetails(app, sup);
};

// What `tend describe` shows beyond the info: recent states and exits, and the config source.
const registerProcessDetails = (app: FastifyInstance, sup: Supervisor): void => {
  app.get<{ Params: NameParams }>(
    '/api/v1/processes/:name/history',
    { schema: { params: NameParams } },
    (request) => processHistory(sup.target(request.params.name)),
  );

  app.get<{ Params: NameParams }>(
    '/api/v1/processes/:name/config',
    { schema: { params: NameParams } },
    (request) => processConfigSource(sup.target(request.params.name)),
  );
};

// Signals, stdin, and waiting for states.
const registerProcessInput = (app: FastifyInstance, sup: Supervisor): void => {
  app.post<{ Params: NameParams; Body: SignalBody }>(
    '/api/v1/processes/:name/signal',
    { schema: { params: NameParams, body: SignalBody } },
    async (request) => resultsBody(await runSignal(sup, request.params.name, request.body.signal)),
  );

  app.post<{ Params: NameParams; Body: StdinBody }>(
    '/api/v1/processes/:name/stdin',
    { schema: { params: NameParams, body: StdinBody } },
    async (request) => {
      sup.assertRunning();
      await sendStdin(sup, request.params.name, request.body.data);
      return { ok: true };
    },
  );

  app.post<{ Params: NameParams; Body: WaitBody }>(
    '/api/v1/processes/:name/wait',
    { schema: { params: NameParams, body: WaitBody } },
    (request) => {
      const { state, timeout } = request.body;
      const states = new Set(Array.isArray(state) ? state : [state]);
      return waitForState(sup, expandName(sup, request.params.name), states, timeout * 1000);
    },
  );
};
