import { TendError } from '../../../errors/index.js';
import {
  sendStdin,
  signalAll,
  signalProcess,
  startProcess,
  stopAll,
  stopLeaving,
  stopProcess,
  type OperationResult,
  type Supervisor,
} from '../../../supervisor/index.js';
import type { XmlRpcValue } from '../values.js';
import { startEach } from './allfunc.js';
import { method, results, type MethodContext, type MethodTable } from './types.js';

// Starting, stopping and signalling, by namespec, by group and all at once; stdin and remote
// communication events.

/** Python's `'%s' % value` for the scalars a client sends; anything else is refused. */
const pyStr = (value: XmlRpcValue | undefined): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (value === null) return 'None';
  throw new TendError('INCORRECT_PARAMETERS', undefined, { faultDetail: 'type and data must be strings' });
};

/** A group name as startProcessGroup & co. take it: exactly a group, else BAD_NAME. */
const groupSpec = (sup: Supervisor, name: string): string => {
  if (sup.group(name) === undefined)
    throw new TendError('BAD_NAME', `no such group: ${name}`, { faultDetail: name });
  return `${name}:*`;
};

const answer = (outcome: true | OperationResult[]): XmlRpcValue =>
  outcome === true ? true : results(outcome);

// tend stops the highest priority first; supervisord lists the results lowest priority first.
const stopAnswer = (outcome: true | OperationResult[]): XmlRpcValue =>
  outcome === true ? true : results(outcome.toReversed());

const stopGroup = async (
  { sup, session }: MethodContext,
  name: string,
  wait: boolean,
): Promise<XmlRpcValue> => {
  if (!session.updating(name)) return stopAnswer(await stopProcess(sup, groupSpec(sup, name), wait));
  const { results: stopped, wereRunning } = await stopLeaving(sup, name, wait);
  session.stopped(name, wereRunning);
  return stopAnswer(stopped);
};

export const CONTROL_METHODS: MethodTable = {
  'supervisor.startProcess': method(1, 2, async ({ sup }, a) => {
    const { targets, isGroup } = sup.resolve(a.string(0));
    if (isGroup) return results(await startEach(sup, targets, a.flag(1, true)));
    return answer(await startProcess(sup, a.string(0), a.flag(1, true)));
  }),
  'supervisor.startProcessGroup': method(1, 2, async ({ sup }, a) =>
    results(await startEach(sup, sup.resolve(groupSpec(sup, a.string(0))).targets, a.flag(1, true))),
  ),
  'supervisor.startAllProcesses': method(0, 1, async ({ sup }, a) =>
    results(await startEach(sup, sup.targets(), a.flag(0, true))),
  ),
  'supervisor.stopProcess': method(1, 2, async (ctx, a) => {
    const name = a.string(0);
    const wait = a.flag(1, true);
    const group = /^([^:]*):\*?$/.exec(name)?.[1];
    if (group === undefined) return stopAnswer(await stopProcess(ctx.sup, name, wait));
    if (ctx.sup.group(group) === undefined) {
      throw new TendError('BAD_NAME', `no such group: ${group}`, { faultDetail: name });
    }
    return stopGroup(ctx, group, wait);
  }),
  'supervisor.stopProcessGroup': method(1, 2, (ctx, a) => stopGroup(ctx, a.string(0), a.flag(1, true))),
  'supervisor.stopAllProcesses': method(0, 1, async ({ sup }, a) =>
    stopAnswer(await stopAll(sup, a.flag(0, true))),
  ),
  'supervisor.signalProcess': method(2, 2, async ({ sup }, a) =>
    answer(await signalProcess(sup, a.string(0), a.string(1))),
  ),
  'supervisor.signalProcessGroup': method(2, 2, async ({ sup }, a) =>
    answer(await signalProcess(sup, groupSpec(sup, a.string(0)), a.string(1))),
  ),
  'supervisor.signalAllProcesses': method(1, 1, async ({ sup }, a) =>
    answer(await signalAll(sup, a.string(0))),
  ),
  'supervisor.sendProcessStdin': method(2, 2, async ({ sup }, a) => {
    const chars = a.value(1);
    if (typeof chars !== 'string') {
      throw new TendError('INCORRECT_PARAMETERS', undefined, { faultDetail: JSON.stringify(chars) });
    }
    await sendStdin(sup, a.string(0), chars);
    return true;
  }),
  // REMOTE_COMMUNICATION for the listeners and streams that subscribe; accepted whether anyone
  // listens or not, and while the daemon stops, as supervisord does.
  'supervisor.sendRemoteCommEvent': method(
    2,
    2,
    ({ sup }, a) => {
      sup.bus.emit({ type: 'REMOTE_COMMUNICATION', remoteType: pyStr(a.value(0)), data: pyStr(a.value(1)) });
      return true;
    },
    false,
  ),
};
