#!/usr/bin/env node
// Runs the compiled test suites with node:test. Unit tests first (fast, fake clock), then the
// integration tests that start real daemons and children, then a quick run of the benchmark
// harness against supervisord and PM2 (bench/smoke.mjs: every figure produced, no byte or line
// lost by tend; never a timing). Any process warning or unhandled rejection inside a test file
// fails it (test/helpers/strict.ts is preloaded). `node scripts/run-tests.mjs unit` (or
// integration, bench) runs one suite; TEND_SKIP_BENCH_SMOKE=1 skips the bench, saying so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const suites = [
  // Integration files spend most of their time waiting on real children, so two or three at once
  // use a 2-core machine well without making their timing-insensitive assertions flaky.
  { name: 'unit', dir: 'dist/test/unit', concurrency: 2 },
  { name: 'integration', dir: 'dist/test/integration', concurrency: 3 },
].filter((s) => only === undefined || s.name === only);

let failed = false;
if (only === undefined || only === 'bench') {
  suites.push({ name: 'bench', command: [path.join(root, 'bench/smoke.mjs')] });
}
for (const suite of suites) {
  if (suite.command !== undefined) {
    if (process.env.TEND_SKIP_BENCH_SMOKE === '1') {
      console.log('# bench smoke: skipped because TEND_SKIP_BENCH_SMOKE=1');
      continue;
    }
    console.log('# bench smoke (bench/smoke.mjs)');
    const result = spawnSync(process.execPath, suite.command, { stdio: 'inherit', cwd: root });
    if (result.status !== 0) failed = true;
    continue;
  }
  const dir = path.join(root, suite.dir);
  if (!existsSync(dir)) {
    console.log(`# ${suite.name}: no compiled tests in ${suite.dir}`);
    continue;
  }
  console.log(`# ${suite.name} tests`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      path.join(root, 'dist/test/helpers/strict.js'),
      '--test',
      `--test-concurrency=${suite.concurrency}`,
      '--test-reporter=spec',
      dir,
    ],
    { stdio: 'inherit', cwd: root, env: { ...process.env, TEND_TEST: '1' } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
