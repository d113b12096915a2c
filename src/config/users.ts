// Users and groups resolved at parse time, as supervisord does with pwd/grp. tend reads the
// files directly (no NSS), which is what a container or a plain Linux host has.
import { readFileSync } from 'node:fs';
import { PyValueError, pyInt } from './pystr.js';
import type { UserSpec } from './types.js';

export interface UserDb {
  readonly users: readonly UserSpec[];
  readonly groups: readonly {
    readonly name: string;
    readonly gid: number;
    readonly members: readonly string[];
  }[];
}

const readLines = (file: string): string[][] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
};

const parseUsers = (rows: string[][]): UserSpec[] =>
  rows.flatMap(([name, , uid, gid, , home]) =>
    name === undefined || uid === undefined || gid === undefined
      ? []
      : [{ name, uid: Number(uid), gid: Number(gid), home: home ?? '' }],
  );

const parseGroups = (rows: string[][]): { name: string; gid: number; members: string[] }[] =>
  rows.flatMap(([name, , gid, members]) =>
    name === undefined || gid === undefined
      ? []
      : [{ name, gid: Number(gid), members: (members ?? '').split(',').filter((m) => m !== '') }],
  );

/** Reads /etc/passwd and /etc/group (paths overridable for tests). */
export const readUserDb = (passwd = '/etc/passwd', group = '/etc/group'): UserDb => ({
  users: parseUsers(readLines(passwd)),
  groups: parseGroups(readLines(group)),
});

const asInt = (value: string): number | null => {
  try {
    return pyInt(value);
  } catch {
    return null;
  }
};

/** datatypes.name_to_uid, returning the passwd entry: a name or a numeric uid that must exist. */
export const resolveUser = (db: UserDb, name: string): UserSpec => {
  const uid = asInt(name);
  const found = uid === null ? db.users.find((u) => u.name === name) : db.users.find((u) => u.uid === uid);
  if (found === undefined) {
    throw new PyValueError(uid === null ? `Invalid user name ${name}` : `Invalid user id ${name}`);
  }
  return found;
};

/** datatypes.name_to_gid. */
export const resolveGroup = (db: UserDb, name: string): number => {
  const gid = asInt(name);
  const found = gid === null ? db.groups.find((g) => g.name === name) : db.groups.find((g) => g.gid === gid);
  if (found === undefined) {
    throw new PyValueError(gid === null ? `Invalid group name ${name}` : `Invalid group id ${name}`);
  }
  return found.gid;
};

/** datatypes.colon_separated_user_group: `user` or `user:group`; gid -1 means "leave as is". */
export const resolveOwner = (db: UserDb, value: string): { uid: number; gid: number } => {
  try {
    const colon = value.indexOf(':');
    if (colon === -1) return { uid: resolveUser(db, value).uid, gid: -1 };
    return { uid: resolveUser(db, value.slice(0, colon)).uid, gid: resolveGroup(db, value.slice(colon + 1)) };
  } catch {
    throw new PyValueError(`Invalid user:group definition ${value}`);
  }
};
