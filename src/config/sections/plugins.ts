// [rpcinterface:x] (and [ctlplugin:x] for the client): supervisord imports a Python factory, which
// tend cannot do; it still insists on the factory key and expands every value, as supervisord
// does (so a [DEFAULT] value using %(program_name)s breaks these sections there too).
import { configError, expanded, raw } from '../reader.js';
import { report } from '../sink.js';
import { optionNames } from '../ini.js';
import { readerFor, type LoadState } from '../state.js';

export const RPC_FACTORY_KEY = 'supervisor.rpcinterface_factory';

/** Fails where supervisord's get_plugins fails, short of importing the factory. */
export const checkRpcInterfaces = (state: LoadState): void => {
  for (const section of state.store.sections.keys()) {
    if (!section.startsWith('rpcinterface:')) continue;
    const r = readerFor(state, section);
    if (raw(r, RPC_FACTORY_KEY) === undefined) {
      const reason = `section [${section}] does not specify a ${RPC_FACTORY_KEY}`;
      report(r, configError(r, { key: RPC_FACTORY_KEY }, reason));
    }
    for (const key of optionNames(state.store, section)) expanded(r, key);
  }
};
