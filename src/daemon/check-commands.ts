import type { Stats } from 'node:fs';
import { readUserDb, type UserDb } from '../config/users.js';
import type { ProcessConfig } from '../config/index.js';
import { isTendError } from '../errors/index.js';
import { locateCommand, resolveCommand, searchPath } from '../process/index.js';

// `tend check` runs no program, so it asks of each command what the spawn would: is there such a
// file (in the program's PATH, from its directory), and may the program's user (`user=`, else
// whoever runs the check) execute it? The loader does not (supervisord accepts a missing command
// and fails at spawn); a deploy gate should.

export interface CommandCheck {
  /** The daemon's PATH stands in for the one the daemon will run with. */
  readonly path: string | undefined;
  readonly cwd: string;
  readonly users?: UserDb;
}

// What `user=` may run: owner, group (primary or supplementary) or other execute bit; root any.
const canExecute = (st: Stats, uid: number, gids: readonly number[]): boolean => {
  if (uid === 0) return (st.mode & 0o111) !== 0;
  if (st.uid === uid) return (st.mode & 0o100) !== 0;
  if (gids.includes(st.gid)) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
};

const groupsOf = (db: UserDb, user: NonNullable<ProcessConfig['user']>): number[] => [
  user.gid,
  ...db.groups.filter((g) => g.members.includes(user.name)).map((g) => g.gid),
];

/** Why `p`'s command cannot run, in supervisord's words where it has them; null when it can. */
export const commandProblem = (p: ProcessConfig, check: CommandCheck): string | null => {
  if (p.argv.length === 0) return `can't parse command ${JSON.stringify(p.command)}`;
  const dirs = searchPath(p.environment, check.path);
  try {
    if (p.user === null) {
      resolveCommand(p.argv, dirs, p.directory ?? check.cwd);
      return null;
    }
    const { file, stat } = locateCommand(p.argv, dirs, p.directory ?? check.cwd);
    const gids = groupsOf(check.users ?? readUserDb(), p.user);
    return canExecute(stat, p.user.uid, gids) ? null : `user ${p.user.name} may not execute ${file}`;
  } catch (error) {
    if (!isTendError(error)) throw error;
    return error.message;
  }
};
