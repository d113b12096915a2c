// Disk full: the log directory is a small tmpfs that fills while programs write. tend promises
// that supervision goes on (the writers are never blocked, the API answers), that the loss is
// counted and reported (API, daemon log) with a marker line in the file, and that writing
// resumes with no torn line once there is room again.
import { sleep, waitFor } from '../../bench/lib/util.mjs';
import { run as runTmpfs } from '../lib/tmpfs.mjs';
import { probeLatency, quantile, fmt } from '../lib/measure.mjs';
import { tools, tornLines } from '../lib/tools.mjs';
import { readFileSync, readdirSync } from 'node:fs';

const readAll = (dir, name) =>
  readdirSync(dir)
    .filter((f) => f.startsWith(`${name}.log`))
    .sort()
    .reverse()
    .map((f) => readFileSync(`${dir}/${f}`, 'latin1'))
    .join('');

export const diskFull = {
  id: 'disk-full',
  title: 'disk full (small tmpfs) while programs log',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { n: 3, count: 10_000, size: '512k' }, full: { n: 10, count: 100_000, size: '4m' } },
  async run(ctx, { n, count, size }) {
    const { lines } = await tools();
    return runTmpfs(size, async (disk) => {
      if (disk.skip) return { skip: disk.skip };
      const programs = Array.from({ length: n }, (_, i) =>
        [
          `[program:w${i}]`,
          `command=${lines} gen ${count}`,
          'autostart=false',
          'autorestart=false',
          'startsecs=0',
          `stdout_logfile=${disk.dir}/w${i}.log`,
          'stdout_logfile_maxbytes=0',
          'stderr_logfile=NONE',
        ].join('\n'),
      ).join('\n\n');
      const system = await ctx.start({ programs });
      const done = async (k) => (await system.list()).filter((p) => p.state === 'EXITED').length === k;
      for (let i = 0; i < n; i++) await system.rpc.call('supervisor.startProcess', `w${i}`, false);
      const times = await probeLatency(system, { seconds: 1 });
      await waitFor(() => done(n), { timeoutMs: 120_000, what: 'writers done on a full disk' });
      const tendInfo = async () =>
        system.system === 'tend' ? await system.http.json('GET', '/api/v1/processes?tend=true') : null;
      const whileFull = await tendInfo();
      const held = whileFull
        ? whileFull.reduce(
            (sum, p) => sum + p.tend.logs.stdout.heldBytes + p.tend.logs.stdout.droppedBytes,
            0,
          )
        : 0;
      await disk.grow('256m');
      await sleep(1500); // tend retries a failed file once a second
      for (let i = 0; i < n; i++) await system.rpc.call('supervisor.startProcess', `w${i}`, false);
      await waitFor(
        async () => (await system.list()).filter((p) => p.state === 'EXITED' && p.pid === 0).length === n,
        { timeoutMs: 120_000, what: 'writers done after room' },
      );
      // What tend still holds goes to disk at its next retry (once a second): on a loaded machine
      // that may take longer than one, so tend is judged once it holds nothing (or after 30 s).
      await sleep(1500);
      let after = await tendInfo();
      const holding = (info) => info.some((p) => p.tend.logs.stdout.heldBytes > 0);
      for (const settleBy = Date.now() + 30_000; after && holding(after) && Date.now() < settleBy;) {
        await sleep(100);
        after = await tendInfo();
      }
      let torn = 0;
      let resumedWhole = 0;
      let unaccounted = 0;
      let dropped = 0;
      for (let i = 0; i < n; i++) {
        const text = readAll(disk.dir, `w${i}`);
        torn += tornLines(text);
        const whole = text.split('\n').filter((l) => /^\d{10} [a-z]{88}$/.test(l)).length;
        const droppedHere = after ? after.find((p) => p.name === `w${i}`).tend.logs.stdout.droppedBytes : 0;
        dropped += droppedHere;
        unaccounted += 2 * count * 100 - whole * 100 - droppedHere;
        const tail = text
          .slice(-count * 100)
          .split('\n')
          .slice(0, -1);
        if (tail.length === count && tail.every((l, k) => Number(l.slice(0, 10)) === k)) resumedWhole++;
      }
      await system.kill();
      const p50 = quantile(times, 0.5);
      return {
        pass: torn === 0 && unaccounted === 0 && resumedWhole === n && ctx.timed(p50 < 100),
        figure: `${n} writers × ${(2 * count * 100) / 1e6} MB on ${size}: ${system.system === 'tend' ? `${(held / 1e6).toFixed(1)} MB held/dropped while full (in the API), ${dropped} bytes dropped (reported, marked), ` : ''}${unaccounted} bytes lost unaccounted, ${torn} torn lines, ${resumedWhole}/${n} resumed whole, API p50 ${fmt(p50)} ms while full`,
        promise:
          'every byte on disk or counted as dropped (API, marker line), no torn line, resumes whole, API answers while full',
      };
    });
  },
};
