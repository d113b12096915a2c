// Runs the selected workloads on the selected systems, interleaved: within each repeat, every
// workload case runs on tend, supervisord, PM2 and the limit in turn (A B C D, then B C D A, …),
// each on a fresh daemon in a fresh temp dir, killed in `finally` whatever happened.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pm2Driver } from '../drivers/pm2.mjs';
import { SupervisordDriver } from '../drivers/supervisord.mjs';
import { TendBaseDriver, TendDriver, TendForkDriver } from '../drivers/tend.mjs';
import { WORKLOADS } from '../workloads/index.mjs';
import { atExit } from './cleanup.mjs';
import { summarize } from './stats.mjs';
import { buildTools } from './tools.mjs';
import { now } from './util.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');

const DRIVERS = {
  tend: TendDriver,
  'tend-base': TendBaseDriver,
  'tend-fork': TendForkDriver,
  supervisord: SupervisordDriver,
  pm2: Pm2Driver,
};

const log = (line) => process.stderr.write(`${line}\n`);

const describe = (value) =>
  typeof value === 'number' ? String(Number(value.toPrecision(4))) : `n/a (${value.na})`;

// Every (workload, parameters) pair the options select, in run order.
const selectCases = (options) =>
  WORKLOADS.filter((w) => !options.only || options.only.includes(w.id)).flatMap((w) =>
    w.cases(options.sizes).map((c) => ({ ...c, workload: w })),
  );

// Repeat r runs the systems in an order turned by r - 1 (A B C, B C A, C A B, …), so that no
// system always runs first after another workload. Seen on this machine kind (its memory is
// host-managed: virtio balloon, virtio-mem, DAMON): the first 1 GiB log run after a spawn
// workload ran at a third of the throughput with three times the CPU per GiB, most of it in the
// kernel copying into page-cache pages; with a fixed order that run was tend's in every repeat.
const rotated = (systems, by) => systems.map((_, i) => systems[(i + by) % systems.length]);

// The checkout a tend system runs: the baseline's for tend-base, this one (or --tend-repo) else.
const repoOf = (system, ctx) => (system === 'tend-base' ? ctx.baseline : ctx.repo);

// Which systems can run: the static check, then a real start of a daemon with no programs.
const probeSystems = async (options, ctx) => {
  const systems = {};
  for (const name of options.systems) {
    if (name === 'limit') {
      systems.limit = { ok: true, version: 'posix_spawn / direct file' };
      continue;
    }
    const Driver = DRIVERS[name];
    const status = await Driver.available({ repo: repoOf(name, ctx) });
    if (status.ok) {
      const dir = mkdtempSync(path.join(ctx.root, `probe-${name}-`));
      const driver = new Driver({ dir, tools: ctx.tools, repo: repoOf(name, ctx) });
      try {
        await driver.start([]);
      } catch (error) {
        Object.assign(status, { ok: false, reason: `daemon did not start: ${error.message}` });
      } finally {
        await driver.kill();
      }
    }
    systems[name] = status;
    log(`bench: ${name}: ${status.ok ? `ok (${status.version})` : `unavailable (${status.reason})`}`);
  }
  return systems;
};

const runOne = async (c, system, ctx) => {
  const dir = mkdtempSync(path.join(ctx.root, `${c.workload.id}-${system}-`));
  const driver =
    system === 'limit'
      ? undefined
      : new DRIVERS[system]({ dir, tools: ctx.tools, repo: repoOf(system, ctx) });
  try {
    if (!driver) return c.workload.limit ? await c.workload.limit(ctx, c.params, dir) : {};
    return await c.workload.run(driver, ctx, c.params);
  } finally {
    await driver?.kill();
    if (!ctx.keep) rmSync(dir, { recursive: true, force: true });
  }
};

// Resolves the results object that bench/run.mjs prints and saves, and bench/smoke.mjs checks.
export const runBench = async (options) => {
  const started = new Date();
  const root = mkdtempSync(path.join(os.tmpdir(), 'tend-bench-'));
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  const forgetRoot = options.keep ? () => undefined : atExit(removeRoot);
  const ctx = {
    root,
    sizes: options.sizes,
    keep: options.keep,
    repo: options.tendRepo ?? REPO,
    baseline: options.baseline,
  };
  try {
    mkdirSync(path.join(root, 'tools'));
    ctx.tools = await buildTools(path.join(root, 'tools'));
    const systems = await probeSystems(options, ctx);
    const runnable = options.systems.filter((s) => systems[s].ok);
    const cases = selectCases(options);
    const figures = cases.flatMap((c) =>
      c.workload.figures(c.params).map((f) => ({
        case: c.key,
        workload: c.workload.id,
        ...f,
        values: {},
        na: {},
        errors: {},
      })),
    );
    const runs = [];
    for (let repeat = 1; repeat <= options.repeats; repeat++) {
      for (const c of cases) {
        for (const system of rotated(runnable, repeat - 1)) {
          options.beforeRun?.();
          const t0 = now();
          const run = { repeat, case: c.key, system };
          try {
            run.figures = await runOne(c, system, ctx);
          } catch (error) {
            run.error = error.message;
          }
          run.seconds = (now() - t0) / 1000;
          runs.push(run);
          const shown = run.error
            ? `FAILED: ${run.error}`
            : Object.entries(run.figures)
                .map(([k, v]) => `${k}=${describe(v)}`)
                .join(' ');
          log(`[${repeat}/${options.repeats}] ${c.key} ${system} (${run.seconds.toFixed(1)} s): ${shown}`);
          for (const f of figures.filter((fig) => fig.case === c.key)) {
            if (run.error) (f.errors[system] ??= []).push(run.error);
            const value = run.figures?.[f.key];
            if (typeof value === 'number') (f.values[system] ??= []).push(value);
            else if (value?.na) f.na[system] = value.na;
          }
        }
      }
    }
    return {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      host: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        kernel: os.release(),
        node: process.version,
        loadavg: os.loadavg(),
      },
      options: { quick: options.quick, repeats: options.repeats, only: options.only, sizes: options.sizes },
      systems,
      figures: figures.map((f) => ({
        ...f,
        summary: Object.fromEntries(Object.entries(f.values).map(([s, v]) => [s, summarize(v)])),
      })),
      runs,
    };
  } finally {
    forgetRoot();
    if (!options.keep) removeRoot();
    else log(`bench: temp files kept in ${root}`);
  }
};
