import { TendError, toFault } from '../../../errors/index.js';
import { METHOD_DOCS } from '../docs.js';
import { isStruct, type XmlRpcValue } from '../values.js';
import { method, type MethodContext, type MethodTable } from './types.js';

// The system namespace: introspection from supervisord's own docstrings (docs.ts), and
// multicall, which runs its calls one after another and puts each result in the array as it is
// (a fault as a {faultCode, faultString} struct), as supervisord 4.2.5 does.

const unsupported = (): TendError => new TendError('SIGNATURE_UNSUPPORTED');

const one = async (ctx: MethodContext, call: XmlRpcValue): Promise<XmlRpcValue> => {
  try {
    if (!isStruct(call))
      throw new TendError('INCORRECT_PARAMETERS', undefined, { faultDetail: 'No methodName' });
    const name = call.methodName;
    const params = call.params ?? [];
    if (name === undefined || name === null) {
      throw new TendError('INCORRECT_PARAMETERS', undefined, { faultDetail: 'No methodName' });
    }
    if (name === 'system.multicall') {
      throw new TendError('INCORRECT_PARAMETERS', undefined, {
        faultDetail: 'Recursive system.multicall forbidden',
      });
    }
    if (typeof name !== 'string' || !Array.isArray(params)) throw new TendError('INCORRECT_PARAMETERS');
    return await ctx.call(name, params as readonly XmlRpcValue[]);
  } catch (error) {
    const { faultCode, faultString } = toFault(error);
    return { faultCode, faultString };
  }
};

export const systemMethods = (names: () => readonly string[]): MethodTable => ({
  'system.listMethods': method(0, 0, () => [...names()].sort(), false),
  'system.methodHelp': method(
    1,
    1,
    (_ctx, a) => {
      const doc = METHOD_DOCS[a.string(0)];
      if (doc === undefined) throw unsupported();
      return doc.help;
    },
    false,
  ),
  'system.methodSignature': method(
    1,
    1,
    (_ctx, a) => {
      const doc = METHOD_DOCS[a.string(0)];
      if (doc === undefined) throw unsupported();
      return [...doc.signature];
    },
    false,
  ),
  'system.multicall': method(
    1,
    1,
    async (ctx, a) => {
      const calls = a.value(0);
      if (!Array.isArray(calls)) throw new TendError('INCORRECT_PARAMETERS');
      const out: XmlRpcValue[] = [];
      for (const call of calls as readonly XmlRpcValue[]) out.push(await one(ctx, call));
      return out;
    },
    false,
  ),
});
