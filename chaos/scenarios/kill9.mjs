// The daemon killed with SIGKILL at a random moment (during the start-up of many programs, during
// a reload, mid-rotation under heavy logging), then started again on the same config. tend
// promises every program running exactly once afterwards: no orphan of the killed daemon left
// running, no program started a second time beside it (its guardian and the state file,
// docs/reliability.md). supervisord's children outlive it and are started again: duplicates.
import { sleep } from '../../bench/lib/util.mjs';
import { waitFor } from '../../bench/lib/util.mjs';
import { copiesBySlot, killCopies, sleepBase, sleeperPrograms } from '../lib/procs.mjs';
import { seeded } from '../lib/random.mjs';

// How much longer than its own stop the killed daemon's leftovers may take to go (see below).
const SETTLE_MS = { smoke: 8000, full: 15000 };

const loggerPrograms = (base, first, n, dir) =>
  Array.from({ length: n }, (_, i) =>
    [
      `[program:log${i}]`,
      `command=/usr/bin/yes ${base + first + i}`,
      'autostart=true',
      'autorestart=true',
      'startsecs=0',
      `stdout_logfile=${dir}/log${i}.log`,
      'stdout_logfile_maxbytes=256KB',
      'stdout_logfile_backups=2',
    ].join('\n'),
  ).join('\n\n');

// Kills the daemon `rounds` times at random moments of `phase`, each time starting it again and
// judging the copies alive once the new daemon has every program RUNNING.
const killRounds = async (ctx, { n, loggers = 0, rounds, phase, maxDelayMs }) => {
  const rng = seeded(ctx.seed + phase.length);
  const base = sleepBase(rng);
  const total = n + loggers;
  const programs = [
    sleeperPrograms(base, n),
    loggers > 0 ? loggerPrograms(base, n, loggers, ctx.dir) : '',
  ].join('\n\n');
  let system = ctx.prepare({ programs, daemonExtra: [`minfds=${Math.max(1024, total * 6 + 256)}`] });
  const bad = [];
  const moments = [];
  try {
    system.launch();
    if (phase !== 'startup') await system.waitReady();
    for (let round = 0; round < rounds; round++) {
      if (phase !== 'startup') {
        await waitFor(
          async () => (await system.list()).filter((p) => p.state === 'RUNNING').length === total,
          { timeoutMs: 120_000, what: 'all RUNNING' },
        );
      }
      const delay = rng.between(0, maxDelayMs);
      moments.push(delay);
      if (phase === 'reload') process.kill(system.pid(), 'SIGHUP');
      await sleep(delay);
      await system.killHard();
      system = await ctx.restart(system, { outName: `restart${round}.out` });
      await waitFor(async () => (await system.list()).filter((p) => p.state === 'RUNNING').length === total, {
        timeoutMs: 120_000,
        what: 'all RUNNING after the restart',
      });
      // Whatever the killed daemon left is given the time its own stop would take (stopwaitsecs 1),
      // and on a loaded machine (CI) more: until every program has one copy, the one the daemon
      // reports, or SETTLE_MS more have passed. supervisord's orphans never go, so it is judged
      // at that deadline.
      await sleep(ctx.smoke ? 1500 : 3000);
      const judge = async () => {
        const reported = new Set((await system.list()).map((p) => p.pid));
        return copiesBySlot(base, total).flatMap((pids, slot) =>
          pids.length !== 1 || !reported.has(pids[0]) ? [{ round, slot, copies: pids.length }] : [],
        );
      };
      const settleBy = Date.now() + (ctx.smoke ? SETTLE_MS.smoke : SETTLE_MS.full);
      let found = await judge();
      while (found.length > 0 && Date.now() < settleBy) {
        await sleep(100);
        found = await judge();
      }
      bad.push(...found);
      phase = phase === 'startup' ? 'startup-again' : phase;
      if (phase === 'startup-again') {
        // The next round kills it during another start-up: stop all, then start all and kill.
        await system.rpc.call('supervisor.stopAllProcesses', true);
        void system.rpc.call('supervisor.startAllProcesses', false).catch(() => undefined);
      }
    }
  } finally {
    await system.kill();
    killCopies(base, total);
  }
  const dup = bad.filter((b) => b.copies > 1).length;
  const missing = bad.filter((b) => b.copies === 0).length;
  return {
    pass: bad.length === 0,
    figure: `${rounds} kill -9 (at ${moments.join(', ')} ms), ${total} programs: ${dup} duplicated/orphaned, ${missing} missing`,
    promise: 'every program running exactly once after the restart, no orphan',
  };
};

const scenario = (id, title, phase, sizes) => ({
  id,
  title,
  systems: ['tend', 'supervisord'],
  sizes,
  run: (ctx, size) => killRounds(ctx, { ...size, phase }),
});

export const KILL9 = [
  scenario('kill9-startup', 'kill -9 during the start-up of many programs', 'startup', {
    smoke: { n: 10, rounds: 1, maxDelayMs: 300 },
    full: { n: 500, rounds: 3, maxDelayMs: 3000 },
  }),
  scenario('kill9-reload', 'kill -9 during a reload (SIGHUP)', 'reload', {
    smoke: { n: 10, rounds: 1, maxDelayMs: 200 },
    full: { n: 200, rounds: 3, maxDelayMs: 1500 },
  }),
  scenario('kill9-rotation', 'kill -9 mid-rotation under heavy logging', 'rotation', {
    smoke: { n: 4, loggers: 2, rounds: 1, maxDelayMs: 300 },
    full: { n: 50, loggers: 4, rounds: 3, maxDelayMs: 2000 },
  }),
];
