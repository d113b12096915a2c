import type { GroupConfig } from '../config/types.js';
import { TendError } from '../errors/index.js';
import { STOPPED_STATES } from '../process/index.js';
import { processKey } from './diff.js';
import { startAutostart } from './operations.js';
import type { ProcessEntry } from './entries.js';
import type { Supervisor, Target } from './supervisor.js';

// Adding and removing whole process groups (supervisord's addProcessGroup/removeProcessGroup):
// a group can be added when the available config (the last one read) has it and it is not
// active; it can be removed when none of its processes is running or about to run.

/** Whether a process is down for good: stopped, and no restart is pending on a timer. */
export const isAtRest = (entry: ProcessEntry): boolean =>
  STOPPED_STATES.has(entry.proc.state) && !entry.proc.hasPendingTimer;

export const availableGroup = (sup: Supervisor, name: string): GroupConfig | undefined =>
  sup.config.groups.find((g) => g.name === name);

export const groupTargets = (sup: Supervisor, name: string): Target[] =>
  sup.targets().filter((t) => t.group.config.name === name);

/** Activates a group of the available config and autostarts its processes. */
export const addGroup = (sup: Supervisor, name: string): void => {
  sup.assertRunning();
  const config = availableGroup(sup, name);
  if (config === undefined) throw new TendError('BAD_NAME', `no such group: ${name}`, { faultDetail: name });
  if (sup.group(name) !== undefined) {
    throw new TendError('ALREADY_ADDED', `group ${name} is already active`, { faultDetail: name });
  }
  sup.addGroupConfig(config);
  // As supervisord's main loop does on its next pass: whatever autostarts and never ran, runs.
  startAutostart(sup);
};

/** Deactivates a group whose processes are all stopped. */
export const removeGroup = (sup: Supervisor, name: string): void => {
  sup.assertRunning();
  const group = sup.group(name);
  if (group === undefined) throw new TendError('BAD_NAME', `no such group: ${name}`, { faultDetail: name });
  if (![...group.processes.values()].every(isAtRest)) {
    throw new TendError('STILL_RUNNING', `group ${name} still has running processes`, { faultDetail: name });
  }
  sup.removeGroupEntries(name);
};

/**
 * Makes `config` the active group of its name, taking each process's entry from `reuse` when it
 * returns one and leaving every other active group exactly as it is (same entries, same pids).
 */
export const installGroup = (
  sup: Supervisor,
  config: GroupConfig,
  reuse: (name: string) => ProcessEntry | undefined,
): void => {
  const others = sup.groups().filter((g) => g.config.name !== config.name);
  const existing = new Map(
    others.flatMap((g) => [...g.processes.values()].map((e) => [processKey(e.proc.config), e] as const)),
  );
  sup.replaceGroups([...others.map((g) => g.config), config], (p) =>
    p.group === config.name ? reuse(p.name) : existing.get(processKey(p)),
  );
};
