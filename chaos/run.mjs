#!/usr/bin/env node
// The chaos suite (issue 15, docs/reliability.md): each scenario injects one fault into a real
// daemon and judges what survived, with a figure. Run against tend and, where the scenario
// applies, supervisord on the same config, side by side. A tend row that fails makes the exit
// code 1; a supervisord row that fails is a finding about supervisord, printed, not a failure.
//
//   npm run chaos [-- --smoke] [--only id,id] [--systems tend,supervisord] [--seed N]
//                 [--cases N] [--json FILE] [--keep]
// --smoke: tiny sizes (the npm test smoke run); --cases: fast-check runs per fuzz target
// (default 10 000, 20 with --smoke: npm test runs its own 1000 in the unit suite); --seed: the seed of every random choice (printed).
import { writeFileSync } from 'node:fs';
import { installSignalHandlers, killAll } from '../bench/lib/cleanup.mjs';
import { timedOut } from '../bench/lib/util.mjs';
import { makeContext } from './lib/context.mjs';
import { renderTable } from './lib/table.mjs';
import { supervisordAvailable } from './lib/system.mjs';
import { SCENARIOS } from './scenarios/index.mjs';

const parse = (argv) => {
  const o = {
    smoke: false,
    only: null,
    systems: ['tend', 'supervisord'],
    seed: Date.now() % 2 ** 31,
    cases: null,
    json: null,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--smoke') o.smoke = true;
    else if (a === '--only') o.only = next().split(',');
    else if (a === '--systems') o.systems = next().split(',');
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--cases') o.cases = Number(next());
    else if (a === '--json') o.json = next();
    else if (a === '--keep') o.keep = true;
    else throw new Error(`chaos: unknown argument ${a}`);
  }
  o.cases ??= o.smoke ? 20 : 10_000;
  return o;
};

const SCENARIO_TIMEOUT_MS = 10 * 60_000;

const runOne = async (scenario, system, options) => {
  const ctx = makeContext(system, {
    seed: options.seed,
    fuzzRuns: options.cases,
    keep: options.keep,
    smoke: options.smoke,
  });
  const size = options.smoke ? scenario.sizes.smoke : scenario.sizes.full;
  const started = performance.now();
  try {
    const run = scenario.run(ctx, size);
    if (await timedOut(run, SCENARIO_TIMEOUT_MS))
      return { pass: false, figure: `no verdict in ${SCENARIO_TIMEOUT_MS / 60_000} min` };
    return await run;
  } catch (error) {
    return { pass: false, figure: `error: ${error.message}`.slice(0, 300) };
  } finally {
    await ctx.cleanup();
    process.stderr.write(
      `chaos: ${scenario.id} on ${system}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
};

const main = async () => {
  const options = parse(process.argv.slice(2));
  installSignalHandlers();
  console.log(
    `chaos: seed ${options.seed} (replay with --seed ${options.seed}), fuzz cases ${options.cases}${options.smoke ? ', smoke sizes' : ''}`,
  );
  const rows = [];
  const systems = options.systems.filter((s) => s !== 'supervisord' || supervisordAvailable());
  for (const scenario of SCENARIOS) {
    if (options.only && !options.only.includes(scenario.id)) continue;
    for (const system of systems) {
      if (!scenario.systems.includes(system)) continue;
      const result = await runOne(scenario, system, options);
      rows.push({ id: scenario.id, title: scenario.title, system, ...result });
    }
  }
  await killAll();
  console.log(renderTable(rows));
  if (options.json)
    writeFileSync(
      options.json,
      `${JSON.stringify({ seed: options.seed, cases: options.cases, smoke: options.smoke, rows }, null, 2)}\n`,
    );
  const failed = rows.filter((r) => r.system === 'tend' && !r.pass && !r.skip);
  const findings = rows.filter((r) => r.system !== 'tend' && !r.pass && !r.skip);
  for (const f of findings) console.log(`finding about ${f.system}: ${f.id}: ${f.figure}`);
  console.log(
    `chaos: ${rows.filter((r) => r.system === 'tend' && r.pass).length} tend scenarios passed, ${failed.length} failed, ${rows.filter((r) => r.skip).length} not run`,
  );
  process.exit(failed.length > 0 ? 1 : 0);
};

await main();
