import { STOPPED_STATES } from '../process/index.js';
import { closeEntry } from './entries.js';
import { stopAndWait } from './reload.js';
import type { Supervisor, Target } from './supervisor.js';

// Daemon shutdown: stop every process in reverse priority, one group-priority level at a time
// (dependents before what they depend on), everything within a level at once. Each process is
// bounded by its stopwaitsecs and then SIGKILLed by its own lifecycle. While waiting, name the
// stragglers every 3 s, as supervisord does.

const levels = (targets: readonly Target[]): Target[][] => {
  const byPriority = new Map<number, Target[]>();
  for (const t of targets) {
    const list = byPriority.get(t.group.config.priority) ?? [];
    list.push(t);
    byPriority.set(t.group.config.priority, list);
  }
  return [...byPriority.entries()].sort((a, b) => b[0] - a[0]).map(([, list]) => list.toReversed());
};

export const shutdown = async (sup: Supervisor): Promise<void> => {
  sup.state = 'SHUTDOWN';
  const targets = sup.targets();
  const report = setInterval(() => {
    const waiting = targets.filter((t) => !STOPPED_STATES.has(t.entry.proc.state)).map((t) => t.namespec);
    if (waiting.length > 0) sup.deps.log('info', `waiting for ${waiting.join(', ')} to die`);
  }, 3000);
  try {
    for (const level of levels(targets)) await stopAndWait(level);
  } finally {
    clearInterval(report);
  }
  await Promise.all(targets.flatMap((t) => [...t.entry.proc.sweeps]));
  sup.queue.flushAll();
  for (const { entry } of targets) closeEntry(entry);
};
