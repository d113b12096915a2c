import { TendError } from '../../errors/index.js';
import type { Supervisor } from '../../supervisor/index.js';
import type { DaemonControl } from '../daemon-control.js';
import { Args } from './args.js';
import { CONTROL_METHODS } from './methods/control.js';
import { DAEMON_METHODS } from './methods/daemon.js';
import { INFO_METHODS } from './methods/info.js';
import { LOG_METHODS } from './methods/logs.js';
import { systemMethods } from './methods/system.js';
import type { MethodContext, MethodTable } from './methods/types.js';
import type { RpcSession } from './session.js';
import type { XmlRpcValue } from './values.js';

// Looks a method up and calls it with supervisord's checks, in supervisord's order: a name of
// exactly two dotted parts not starting with `_` (the CVE-2017-11610 rule), a known method,
// the number of arguments, the SHUTDOWN_STATE guard, then the method. Failures are thrown as
// TendErrors; the route turns them into faults.

const SUPERVISOR_METHODS: MethodTable = {
  ...INFO_METHODS,
  ...CONTROL_METHODS,
  ...LOG_METHODS,
  ...DAEMON_METHODS,
};

export const METHODS: MethodTable = {
  ...SUPERVISOR_METHODS,
  ...systemMethods(() => Object.keys(METHODS)),
};

export interface DispatchContext {
  readonly sup: Supervisor;
  readonly daemon: DaemonControl;
  readonly session: RpcSession;
}

export const dispatch = async (
  context: DispatchContext,
  name: string,
  params: readonly XmlRpcValue[],
): Promise<XmlRpcValue> => {
  const parts = name.split('.');
  const found = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
  if (parts.length !== 2 || parts[1]?.startsWith('_') === true || found === undefined) {
    throw new TendError('UNKNOWN_METHOD', `unknown method ${name}`, { faultDetail: '' });
  }
  if (params.length < found.min || params.length > found.max) {
    throw new TendError('INCORRECT_PARAMETERS', `${name} takes ${found.min}..${found.max} arguments`, {
      faultDetail: '',
    });
  }
  if (found.guarded) context.sup.assertRunning();
  const ctx: MethodContext = { ...context, call: (method, args) => dispatch(context, method, args) };
  return found.run(ctx, new Args(params));
};
