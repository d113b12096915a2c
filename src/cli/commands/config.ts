import { TendError, type ErrorCode } from '../../errors/index.js';
import type { Client } from '../client.js';
import type { Output } from '../output.js';
import { ExitStatus, errorCode, namespecOf, type ResultBody } from '../results.js';

// The configuration: reread, update (restarting only what changed), avail, add, remove, with
// supervisorctl's lines and exit codes.

interface GroupDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

interface UpdateAnswer extends GroupDiff {
  readonly stopped: Readonly<Record<string, readonly ResultBody[]>>;
  readonly unknown?: readonly string[];
}

const configError = (error: unknown, io: Output): number => {
  if (!(error instanceof TendError) || !['CANT_REREAD', 'SHUTDOWN_STATE'].includes(error.code)) throw error;
  io.err(error.code === 'SHUTDOWN_STATE' ? 'ERROR: supervisor shutting down' : `ERROR: ${error.message}`);
  return 1;
};

export const reread = async (client: Client, io: Output): Promise<number> => {
  try {
    const diff = await client.call<GroupDiff>('POST', '/api/v1/config/reread');
    const lines = [
      ...diff.added.map((g) => [g, 'available']),
      ...diff.changed.map((g) => [g, 'changed']),
      ...diff.removed.map((g) => [g, 'disappeared']),
    ].sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1));
    if (lines.length === 0) io.out('No config updates to processes');
    for (const [group, what] of lines) io.out(`${group ?? ''}: ${what ?? ''}`);
    return 0;
  } catch (error) {
    return configError(error, io);
  }
};

export const update = async (client: Client, names: readonly string[], io: Output): Promise<number> => {
  const groups = names.includes('all') ? [] : names;
  let answer: UpdateAnswer;
  try {
    answer = await client.call<UpdateAnswer>('POST', '/api/v1/config/update', { groups });
  } catch (error) {
    return configError(error, io);
  }
  const exit = new ExitStatus();
  for (const g of answer.unknown ?? []) {
    io.err(`ERROR: no such group: ${g}`);
    exit.set(1);
  }
  const wanted = (g: string): boolean => groups.length === 0 || groups.includes(g);
  for (const g of answer.removed.filter(wanted)) {
    io.out(`${g}: stopped`);
    if ((answer.stopped[g] ?? []).some((r) => errorCode(r) === 'FAILED' && !r.ok)) {
      io.err(`${g}: has problems; not removing`);
      exit.set(1);
    } else io.out(`${g}: removed process group`);
  }
  for (const g of answer.changed.filter(wanted)) io.out(`${g}: stopped\n${g}: updated process group`);
  for (const g of answer.added.filter(wanted)) io.out(`${g}: added process group`);
  return exit.value;
};

interface ConfigInfo {
  readonly name: string;
  readonly group: string;
  readonly inuse: boolean;
  readonly autostart: boolean;
  readonly group_prio: number;
  readonly process_prio: number;
}

export const avail = async (client: Client, io: Output): Promise<number> => {
  for (const c of await client.call<ConfigInfo[]>('GET', '/api/v1/config')) {
    const fields = [
      namespecOf(c).padEnd(32),
      (c.inuse ? 'in use' : 'avail').padEnd(9),
      (c.autostart ? 'auto' : 'manual').padEnd(9),
    ];
    io.out(`${fields.join(' ')} ${c.group_prio}:${c.process_prio}`);
  }
  return 0;
};

const GROUP_ERRORS: Partial<Record<ErrorCode, (name: string) => string>> = {
  ALREADY_ADDED: () => 'ERROR: process group already active',
  BAD_NAME: (name) => `ERROR: no such process/group: ${name}`,
  STILL_RUNNING: (name) => `ERROR: process/group still running: ${name}`,
  SHUTDOWN_STATE: () => 'ERROR: shutting down',
};

/** `tend add|remove GROUP…`. */
export const group = async (
  client: Client,
  verb: 'add' | 'remove',
  names: readonly string[],
  io: Output,
): Promise<number> => {
  const exit = new ExitStatus();
  for (const name of names) {
    try {
      await client.call(verb === 'add' ? 'POST' : 'DELETE', `/api/v1/groups/${encodeURIComponent(name)}`);
      io.out(`${name}: ${verb === 'add' ? 'added' : 'removed'} process group`);
    } catch (error) {
      const line = error instanceof TendError ? GROUP_ERRORS[error.code] : undefined;
      if (line === undefined || !(error instanceof TendError)) throw error;
      io.err(line(name));
      exit.fail(error.code, 'ALREADY_ADDED');
    }
  }
  return exit.value;
};
