// N programs with startsecs=0 that exit at once, forever (autorestart=true): the worst crash
// storm a config can ask for, since each exit is a successful run and restarts at once. tend
// promises that its control plane stays responsive (API p50 under 50 ms, p99 under 1 s) and its
// CPU bounded (the restart budget, docs/reliability.md). Figures: spawns per second, the daemon's
// CPU share, API latency.
import { sleep } from '../../bench/lib/util.mjs';
import { cpuPercent, fmt, probeLatency, quantile } from '../lib/measure.mjs';

const programs = (n, command) =>
  Array.from({ length: n }, (_, i) =>
    [
      `[program:crash${i}]`,
      `command=${command}`,
      'autostart=true',
      'autorestart=true',
      'startsecs=0',
      'exitcodes=0',
    ].join('\n'),
  ).join('\n\n');

const spawnCount = (system) => (system.daemonLog().match(/ spawned: /g) ?? []).length;

export const crashStorm = {
  id: 'crash-storm',
  title: 'crash storm (startsecs=0, exit at once)',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { n: 20, seconds: 2 }, full: { n: 200, seconds: 20 } },
  async run(ctx, { n, seconds }) {
    const system = await ctx.start({ programs: programs(n, '/bin/false') });
    await sleep(1000);
    const s0 = spawnCount(system);
    const { share, result: times } = await cpuPercent(system, seconds, () =>
      probeLatency(system, { seconds }),
    );
    const spawnsPerSec = (spawnCount(system) - s0) / seconds;
    const p50 = quantile(times, 0.5);
    const p99 = quantile(times, 0.99);
    // The budget's own guarantee, in spawns (not time): at most its burst plus its rate over the
    // window (and a second of slack for the edges).
    const budgeted = system.system !== 'tend' || spawnsPerSec * seconds <= 100 + 50 * (seconds + 1);
    const pass = budgeted && ctx.timed(p50 < 50 && p99 < 1000 && share < 25);
    return {
      pass,
      figure: `${fmt(spawnsPerSec, 0)} spawns/s, CPU ${fmt(share, 0)}%, API p50 ${fmt(p50)} ms p99 ${fmt(p99)} ms`,
      promise:
        'spawns within autorestart_burst + autorestart_rate × time; API p50 < 50 ms, p99 < 1 s; daemon CPU < 25%',
    };
  },
};
