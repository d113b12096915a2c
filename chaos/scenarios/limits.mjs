// Out of file descriptors and out of processes: the daemon runs under a low limit (prlimit), with
// minfds/minprocs set below it so that it starts. tend promises that each failed spawn is
// reported as what it is (the errno in spawnerr), that the daemon and its control socket stay up,
// and that raising the limit (prlimit --pid on the live daemon) lets every program start.
import { readFileSync } from 'node:fs';
import { waitFor } from '../../bench/lib/util.mjs';
import { runCmd } from '../../bench/lib/util.mjs';
import { killCopies, sleepBase, sleeperPrograms } from '../lib/procs.mjs';
import { seeded } from '../lib/random.mjs';

const ROW = { nofile: 'Max open files', nproc: 'Max processes' };
const hardLimit = (pid, resource) =>
  new RegExp(`^${ROW[resource]}\\s+\\S+\\s+(\\S+)`, 'm').exec(
    readFileSync(`/proc/${pid}/limits`, 'latin1'),
  )[1];

const settle = async (system, n) => {
  // Every program has either started or given up (no STARTING/BACKOFF left).
  await waitFor(
    async () =>
      (await system.list()).filter((p) => ['RUNNING', 'FATAL', 'STOPPED', 'EXITED'].includes(p.state))
        .length === n,
    { timeoutMs: 120_000, what: 'programs settled' },
  );
  return system.list();
};

const limitScenario = ({ id, title, resource, limit, extra, daemonExtra, sizes }) => ({
  id,
  title,
  systems: ['tend', 'supervisord'],
  sizes,
  async run(ctx, { n }) {
    const base = sleepBase(seeded(ctx.seed + id.length));
    const system = ctx.prepare({
      programs: sleeperPrograms(base, n, ['startretries=1', ...extra]),
      daemonExtra,
      // Node raises its soft RLIMIT_NOFILE to the hard one at start-up, so that limit is set hard;
      // raising a hard limit needs CAP_SYS_RESOURCE, which a container may not have, so the
      // recovery there frees descriptors (stops half the programs) instead of raising it.
      wrap: [
        'prlimit',
        resource === 'nofile' ? `--nofile=${limit}:${limit}` : `--${resource}=${limit}:`,
        '--',
      ],
    });
    try {
      await system.start();
      const first = await settle(system, n);
      const failed = first.filter((p) => p.state !== 'RUNNING');
      const reasons = [
        ...new Set(
          failed.map(
            (p) =>
              (p.spawnerr.match(/E[A-Z]+|Too many open files|Resource temporarily unavailable/) ?? [
                p.spawnerr || p.state,
              ])[0],
          ),
        ),
      ];
      const up = (await system.rpc.call('supervisor.getState')).statecode === 1;
      let want = n;
      if (resource === 'nofile') {
        const running = first.filter((p) => p.state === 'RUNNING');
        const freed = running.slice(0, Math.ceil(running.length / 2) + 1);
        for (const p of freed) await system.rpc.call('supervisor.stopProcess', p.name, true);
        const others = first.filter((p) => p.state !== 'RUNNING').slice(0, freed.length - 1);
        for (const p of others)
          await system.rpc.call('supervisor.startProcess', p.name, true).catch(() => undefined);
        want = running.length - freed.length + others.length;
      } else {
        await runCmd('prlimit', [
          '--pid',
          String(system.pid()),
          `--${resource}=${hardLimit(system.pid(), resource)}:`,
        ]);
        await system.rpc.call('supervisor.startAllProcesses', true).catch(() => undefined);
      }
      await waitFor(async () => (await system.list()).filter((p) => p.state === 'RUNNING').length === want, {
        timeoutMs: 60_000,
        what: 'recovery',
      }).catch(() => undefined);
      const recovered = (await system.list()).filter((p) => p.state === 'RUNNING').length;
      return {
        pass: up && failed.length > 0 && recovered === want && failed.every((p) => p.spawnerr !== ''),
        figure: `${n} programs under ${resource}=${limit}: ${failed.length} failed (${reasons.join(', ').slice(0, 80)}), daemon up: ${up}; ${resource === 'nofile' ? 'after freeing descriptors' : 'after raising the limit'}: ${recovered}/${want} RUNNING`,
        promise:
          'spawn errors reported with their cause, daemon and socket up, programs start once resources are back',
      };
    } finally {
      await system.kill();
      killCopies(base, n);
    }
  },
});

export const LIMITS = [
  limitScenario({
    id: 'ulimit-nofile',
    title: 'out of file descriptors (ulimit -n 64, 40 programs)',
    resource: 'nofile',
    limit: 64,
    extra: [],
    daemonExtra: ['minfds=32'],
    sizes: { smoke: { n: 40 }, full: { n: 40 } },
  }),
  limitScenario({
    id: 'ulimit-nproc',
    title: 'out of processes (ulimit -u, programs as nobody)',
    resource: 'nproc',
    limit: 1,
    extra: ['user=nobody'],
    daemonExtra: ['minprocs=1'],
    sizes: { smoke: { n: 5 }, full: { n: 20 } },
  }),
];
