import type { Config } from '../config/types.js';
import { cleanupAutoLogs } from './autolog.js';
import { beginRunning } from './operations.js';
import { shutdown } from './shutdown.js';
import type { Supervisor } from './supervisor.js';

// supervisord's restart (`supervisorctl reload`, XML-RPC supervisor.restart): stop everything in
// shutdown order, then rebuild every group from `next` and autostart, in the same daemon process.
// Programs stopped by hand come back if they autostart, as in supervisord. The daemon's listeners
// and its own log stay as they are.
export const restartSupervisor = async (sup: Supervisor, next: Config): Promise<void> => {
  await shutdown(sup, 'RESTARTING');
  const s = next.supervisord;
  if (!s.nocleanup) cleanupAutoLogs(s.childlogdir, s.identifier);
  sup.setConfig(next);
  // As supervisord's run() after a restart: every group is new, and announced as added.
  sup.replaceGroups(next.groups, () => undefined, { fresh: true });
  beginRunning(sup);
};
