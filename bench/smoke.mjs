#!/usr/bin/env node
// Smoke test of the bench: runs it with --quick on every system and exits non-zero unless every
// workload produced every figure (a number or a documented n/a) for every system that could run,
// and neither tend nor the limit lost, duplicated, reordered or corrupted a byte or a line.
// Timings are never asserted. A loss by supervisord or PM2 is printed as a finding about that
// system, not a failure of the bench (PM2 7.0.4 does drop the tail of a fast writer's output
// now and then: it destroys the log stream when the program exits). PM2 may be unavailable
// (not installable from the registry): that is reported and not a failure. tend, supervisord and
// the limit must run.
// Extra arguments are passed on (e.g. --only W4,W4R).
import { parseOptions } from './lib/args.mjs';
import { installSignalHandlers, killAll } from './lib/cleanup.mjs';
import { runBench } from './lib/runner.mjs';
import { buildTable, renderText } from './lib/table.mjs';

const MAY_BE_UNAVAILABLE = new Set(['pm2']);
const MUST_BE_LOSSLESS = new Set(['tend', 'limit']);

// For one system that ran: its problems (sentences; none when it passes) and its findings
// (losses of a peer, which are facts about that peer).
const checkSystem = (results, system) => {
  const problems = [];
  const findings = [];
  for (const f of results.figures) {
    if (f.only && !f.only.includes(system)) continue;
    const where = `${f.case} ${f.key}`;
    const values = f.values[system] ?? [];
    for (const error of new Set(f.errors[system] ?? [])) problems.push(`${where}: failed: ${error}`);
    if (values.length === 0 && !f.na[system] && !f.errors[system]) problems.push(`${where}: missing`);
    if (f.integrity && values.some((v) => v !== 0)) {
      const lost = `${where}: ${values.join(', ')} ${f.unit}`;
      if (MUST_BE_LOSSLESS.has(system)) problems.push(`${lost} (must be 0)`);
      else findings.push(lost);
    }
  }
  return { problems, findings };
};

const main = async () => {
  const options = parseOptions(['--quick', ...process.argv.slice(2)]);
  installSignalHandlers();
  let results;
  try {
    results = await runBench(options);
  } finally {
    await killAll();
  }
  console.log(`${renderText(buildTable(results))}\n`);
  let passed = 0;
  let failed = 0;
  for (const [system, status] of Object.entries(results.systems)) {
    if (!status.ok) {
      const fails = !MAY_BE_UNAVAILABLE.has(system);
      console.log(`smoke: ${fails ? 'FAIL ' : ''}${system}: unavailable (${status.reason})`);
      if (fails) failed++;
      continue;
    }
    const { problems, findings } = checkSystem(results, system);
    for (const p of problems) console.log(`smoke: FAIL ${system}: ${p}`);
    for (const f of findings) console.log(`smoke: ${system} lost data (a finding about ${system}): ${f}`);
    if (problems.length > 0) failed++;
    else {
      passed++;
      console.log(`smoke: ${system}: every figure present${findings.length ? '' : ', nothing lost'}`);
    }
  }
  console.log(`smoke: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
};

await main();
