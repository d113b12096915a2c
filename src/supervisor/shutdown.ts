import { STOPPED_STATES } from '../process/index.js';
import { highestPriority, stopWaves } from './dependencies.js';
import { closeEntry } from './entries.js';
import { stopAndWait } from './reload.js';
import type { Supervisor } from './supervisor.js';

// Daemon shutdown: stop every process in reverse priority, one group-priority level at a time
// (dependents before what they depend on), everything within a level at once; with depends_on a
// process is stopped only after every process that depends on it. Each process is
// bounded by its stopwaitsecs and then SIGKILLed by its own lifecycle. While waiting, name the
// stragglers every 3 s, as supervisord does.

export const shutdown = async (
  sup: Supervisor,
  state: 'SHUTDOWN' | 'RESTARTING' = 'SHUTDOWN',
): Promise<void> => {
  sup.setState(state);
  sup.gate.clear();
  // Their extra instances are not in the group table: the rollouts stop them.
  await sup.rollouts.abortAll(`the daemon is ${state === 'SHUTDOWN' ? 'stopping' : 'restarting'}`);
  const targets = sup.targets();
  const report = setInterval(() => {
    const waiting = targets.filter((t) => !STOPPED_STATES.has(t.entry.proc.state)).map((t) => t.namespec);
    if (waiting.length > 0) sup.deps.log('info', `waiting for ${waiting.join(', ')} to die`);
  }, 3000);
  try {
    for (const wave of stopWaves(targets, highestPriority)) await stopAndWait(wave);
  } finally {
    clearInterval(report);
  }
  await Promise.all(targets.flatMap((t) => [...t.entry.proc.sweeps]));
  sup.queue.flushAll();
  for (const { entry } of targets) closeEntry(entry);
};
