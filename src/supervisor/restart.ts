import type { Config } from '../config/types.js';
import { cleanupAutoLogs } from './autolog.js';
import { startAutostart } from './operations.js';
import { shutdown } from './shutdown.js';
import type { Supervisor } from './supervisor.js';

// supervisord's restart (`supervisorctl reload`, XML-RPC supervisor.restart): stop everything in
// shutdown order, then rebuild every group from `next` and autostart, in the same daemon process.
// Programs stopped by hand come back if they autostart, as in supervisord. The daemon's listeners
// and its own log stay as they are.
export const restartSupervisor = async (sup: Supervisor, next: Config): Promise<void> => {
  const stopping = shutdown(sup);
  sup.state = 'RESTARTING';
  await stopping;
  const s = next.supervisord;
  if (!s.nocleanup) cleanupAutoLogs(s.childlogdir, s.identifier);
  sup.setConfig(next);
  sup.replaceGroups(next.groups, () => undefined);
  sup.state = 'RUNNING';
  startAutostart(sup);
};
