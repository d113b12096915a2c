#!/usr/bin/env node
// npm run bench -- [--n 100,1000] [--repeats K] [--only W1,W4] [--systems …] [--quick] [--markdown]
// [--baseline DIR] [--hold-page-reporting]
// Measures tend, supervisord and PM2 side by side (docs/performance.md), prints the table and
// saves every figure to bench/results/<timestamp>.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, parseOptions } from './lib/args.mjs';
import { atExit, installSignalHandlers, killAll } from './lib/cleanup.mjs';
import { holdPageReporting } from './lib/page-reporting.mjs';
import { runBench } from './lib/runner.mjs';
import { buildTable, renderMarkdown, renderText } from './lib/table.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`bench: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

if (options.from) {
  const saved = JSON.parse(readFileSync(options.from, 'utf8'));
  if (options.only) saved.figures = saved.figures.filter((f) => options.only.includes(f.workload));
  const table = buildTable(saved);
  console.log(options.markdown ? renderMarkdown(table) : renderText(table));
  process.exit(0);
}

installSignalHandlers();
let hold = null;
try {
  if (options.holdPageReporting) {
    hold = holdPageReporting();
    atExit(hold.restore);
    console.error(`bench: page reporting held: ${hold.held()}`);
  }
  const results = await runBench({ ...options, beforeRun: hold?.beforeRun });
  if (hold !== null) results.host.pageReportingHeld = hold.held();
  const table = buildTable(results);
  console.log(options.markdown ? renderMarkdown(table) : renderText(table));
  const dir = path.join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${results.started.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`bench: results written to ${path.relative(process.cwd(), file)}`);
} catch (error) {
  console.error(`bench: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await killAll();
  hold?.restore();
}
