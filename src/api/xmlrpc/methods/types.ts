import type { OperationResult, Supervisor } from '../../../supervisor/index.js';
import { toFault } from '../../../errors/index.js';
import type { DaemonControl } from '../../daemon-control.js';
import type { Args } from '../args.js';
import type { RpcSession } from '../session.js';
import type { XmlRpcStruct, XmlRpcValue } from '../values.js';

export interface MethodContext {
  readonly sup: Supervisor;
  readonly daemon: DaemonControl;
  readonly session: RpcSession;
  /** Runs another call through the dispatcher (system.multicall). */
  readonly call: (method: string, params: readonly XmlRpcValue[]) => Promise<XmlRpcValue>;
}

export interface Method {
  /** Positional parameters: at least `min`, at most `max` (Python's arity check). */
  readonly min: number;
  readonly max: number;
  /** supervisord's SHUTDOWN_STATE check before the method runs; off for system.* and a few. */
  readonly guarded: boolean;
  readonly run: (ctx: MethodContext, args: Args) => XmlRpcValue | Promise<XmlRpcValue>;
}

export type MethodTable = Readonly<Record<string, Method>>;

export const method = (min: number, max: number, run: Method['run'], guarded = true): Method => ({
  min,
  max,
  run,
  guarded,
});

/** A plain record of primitives (getProcessInfo and friends) as an XML-RPC struct. */
export const asStruct = (record: object): XmlRpcStruct => record as XmlRpcStruct;

const SUCCESS = 80;

/** One entry of a group or all-process result array: supervisord's {name, group, status, description}. */
export const resultStruct = (r: OperationResult): XmlRpcStruct => {
  if (r.error === null) return { name: r.name, group: r.group, status: SUCCESS, description: 'OK' };
  const fault = toFault(r.error);
  return { name: r.name, group: r.group, status: fault.faultCode, description: fault.faultString };
};

export const results = (list: readonly OperationResult[]): XmlRpcStruct[] => list.map(resultStruct);
