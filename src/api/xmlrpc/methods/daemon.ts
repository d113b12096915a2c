import { addGroup, removeGroup, rereadConfig, startSwapped, swapGroup } from '../../../supervisor/index.js';
import { method, type MethodTable } from './types.js';

// The daemon as a whole: stop it, restart it, read its config again, add and remove groups.
// reloadConfig opens an update on this connection (session.ts); removeProcessGroup and
// addProcessGroup of a group it found changed then swap members instead of bouncing the group.

export const DAEMON_METHODS: MethodTable = {
  'supervisor.shutdown': method(0, 0, ({ daemon }) => {
    daemon.shutdown();
    return true;
  }),
  'supervisor.restart': method(0, 0, ({ daemon }) => {
    daemon.restart();
    return true;
  }),
  'supervisor.reloadConfig': method(0, 0, ({ sup, daemon, session }) => {
    const diff = rereadConfig(sup, daemon.readConfig());
    session.begin(diff);
    return [[[...diff.added], [...diff.changed], [...diff.removed]]];
  }),
  'supervisor.addProcessGroup': method(1, 1, ({ sup, session }, a) => {
    const name = a.string(0);
    const start = session.takeStart(name);
    if (start === null) addGroup(sup, name);
    else startSwapped(sup, name, start);
    return true;
  }),
  'supervisor.removeProcessGroup': method(1, 1, ({ sup, session }, a) => {
    const name = a.string(0);
    if (!session.updating(name) || sup.group(name) === undefined) removeGroup(sup, name);
    else session.swapped(name, swapGroup(sup, name, session.wereRunning(name)));
    return true;
  }),
};
