// Finding a scenario's programs among the machine's processes: each program runs `sleep SECONDS`
// with SECONDS unique to the program and to the run (a seeded base far above any sleep a person
// would type), so /proc/*/cmdline tells exactly how many copies of each program are alive, whoever
// their parent is: the daemon, a daemon killed with -9, or init.
import { readFileSync, readdirSync } from 'node:fs';

export const sleepBase = (rng) => 90_000_000 + rng.between(0, 9_000_000) * 10;

/** pid → argv of every live process whose argv is `sleep N` with N in [base, base + n). */
export const copiesBySlot = (base, n) => {
  const slots = Array.from({ length: n }, () => []);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv;
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!/(^|\/)(sleep|yes)$/.test(argv[0] ?? '') || argv.length < 2) continue;
    const slot = Number(argv[1]) - base;
    if (Number.isInteger(slot) && slot >= 0 && slot < n) slots[slot].push(Number(entry));
  }
  return slots;
};

/** Sends SIGKILL to every copy still alive (scenario cleanup: supervisord leaves orphans). */
export const killCopies = (base, n) => {
  for (const pids of copiesBySlot(base, n)) {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
};

export const sleeperPrograms = (base, n, extra = []) =>
  Array.from({ length: n }, (_, i) =>
    [
      `[program:s${i}]`,
      `command=/bin/sleep ${base + i}`,
      'autostart=true',
      'autorestart=true',
      'startsecs=0',
      'stopwaitsecs=1',
      ...extra,
    ].join('\n'),
  ).join('\n\n');
