import type { UserSpec } from '../config/types.js';
import { TendError } from '../errors/index.js';
import type { LifecycleLog } from '../process/index.js';

// [supervisord] user: the daemon drops to this user (with its supplementary groups) before it
// opens sockets or spawns anything, as supervisord's set_uid_or_exit does.
export const dropPrivileges = (user: UserSpec | null, log: LifecycleLog): void => {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  if (user === null) {
    if (uid === 0) {
      log(
        'critical',
        'Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.',
      );
    }
    return;
  }
  if (user.uid === uid) return;
  if (uid !== 0) {
    throw new TendError('FAILED', `Can't drop privilege as nonroot user (cannot switch to ${user.name})`);
  }
  // POSIX-only and missing from @types/node; present in Node 20 on Linux and macOS.
  (process as { initgroups?: (user: string, extraGroup: number) => void }).initgroups?.(user.name, user.gid);
  process.setgid?.(user.gid);
  process.setuid?.(user.uid);
  log('info', `Set uid to user ${user.uid} succeeded`);
};
