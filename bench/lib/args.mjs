// Command-line options of bench/run.mjs (and bench/smoke.mjs, which forces --quick).
import path from 'node:path';
import { parseArgs } from 'node:util';

export const SYSTEMS = ['tend', 'supervisord', 'pm2', 'limit'];
// Run only when named: tend on its child_process fallback (TEND_SPAWNER=child_process), and the
// baseline checkout (--baseline).
const OPTIONAL_SYSTEMS = ['tend-fork', 'tend-base'];
const ORDER = ['tend', 'tend-base', 'tend-fork', 'supervisord', 'pm2', 'limit'];

export const USAGE = `usage: npm run bench -- [options]
  --n 100,1000        program counts of W1 (default 100,1000; --quick: 20)
  --repeats K         interleaved repeats (default 3; --quick: 1)
  --only W1,W4        workloads to run (W0 W1 W2 W3 W3A W4 W4S W4T W4J W4R W4A W5 W6 W7 W8 W9
                      W10 W11 W12 W13; default all)
  --systems LIST      tend,supervisord,pm2,limit (default all); also tend-fork: tend with
                      TEND_SPAWNER=child_process, only when named
  --quick             small sizes, 1 repeat, PM2 skipped if it cannot be installed
  --markdown          print the table in markdown (for docs/performance.md)
  --from FILE         print the table of a saved results JSON instead of running
  --tend-repo DIR     the tend checkout to run (default: this one; it must be built)
  --baseline DIR      also run the tend checkout in DIR (built) as system tend-base, interleaved
                      with this one: a change's before/after in one run
  --keep              keep the temp directories (configs, daemon output, logs)
  --hold-page-reporting
                      on a VM whose host takes free memory back (virtio-balloon free page
                      reporting): hold that off for the run and warm 4 GiB first, for steady
                      figures; root; restored at the end (bench/lib/page-reporting.mjs)
  --help`;

const list = (value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const positiveInts = (value, name) =>
  list(value).map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name}: not a positive integer: ${s}`);
    return n;
  });

// Sizes of every workload; --quick shrinks them so the whole run takes a minute or two.
export const sizesFor = (quick, w1N) => ({
  w1N: w1N ?? (quick ? [20] : [100, 1000]),
  nFixed: quick ? 20 : 100, // W2, W5, W6
  w2Seconds: quick ? 5 : 30,
  w3Restarts: quick ? 20 : 50,
  w3TimeoutMs: quick ? 60_000 : 180_000,
  w4Lines: quick ? 671_089 : Math.ceil(2 ** 30 / 100), // 64 MiB : 1 GiB of 100-byte lines
  w4rLines: quick ? 262_144 : 4_194_304,
  w4rMaxBytes: quick ? '5MB' : '50MB',
  w5Seconds: quick ? 1 : 5,
  settleMs: quick ? 1000 : 2000,
  logTimeoutMs: quick ? 120_000 : 900_000,
  w7: quick
    ? { n: 20, storm: 2, clients: 10, seconds: 2 }
    : { n: 1000, storm: 20, clients: 100, seconds: 10 },
  w8: quick ? { events: 300, listeners: 4 } : { events: 5000, listeners: 4 },
  w10Scrapes: quick ? 3 : 5,
  w11: quick ? { n: 20, seconds: 5 } : { n: 100, seconds: 20 },
  w12Restarts: quick ? 5 : 20,
  w13: quick ? { n: 20, updates: 3, statsSeconds: 2 } : { n: 1000, updates: 10, statsSeconds: 5 },
});

export const parseOptions = (argv) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string' },
      repeats: { type: 'string' },
      only: { type: 'string' },
      systems: { type: 'string' },
      quick: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'hold-page-reporting': { type: 'boolean', default: false },
      'tend-repo': { type: 'string' },
      baseline: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const systems = [...(values.systems ? list(values.systems) : SYSTEMS)];
  if (values.baseline !== undefined && !systems.includes('tend-base')) systems.push('tend-base');
  for (const s of systems)
    if (!SYSTEMS.includes(s) && !OPTIONAL_SYSTEMS.includes(s))
      throw new Error(`--systems: unknown system ${s}`);
  if (systems.includes('tend-base') && values.baseline === undefined)
    throw new Error('--systems: tend-base needs --baseline DIR');
  const repeats = values.repeats ? positiveInts(values.repeats, 'repeats')[0] : values.quick ? 1 : 3;
  return {
    help: values.help,
    quick: values.quick,
    markdown: values.markdown,
    keep: values.keep,
    holdPageReporting: values['hold-page-reporting'],
    from: values.from,
    tendRepo: values['tend-repo'] ? path.resolve(values['tend-repo']) : undefined,
    baseline: values.baseline === undefined ? undefined : path.resolve(values.baseline),
    repeats,
    only: values.only ? list(values.only).map((s) => s.toUpperCase()) : undefined,
    systems: ORDER.filter((s) => systems.includes(s)),
    sizes: sizesFor(values.quick, values.n ? positiveInts(values.n, 'n') : undefined),
  };
};
