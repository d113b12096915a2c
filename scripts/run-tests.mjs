#!/usr/bin/env node
// Runs the compiled test suites with node:test. Unit tests first (fast, fake clock), then the
// integration tests that start real daemons and children, then a quick run of the benchmark
// harness against supervisord and PM2 (bench/smoke.mjs: every figure produced, no byte or line
// lost by tend; never a timing). Any process warning or unhandled rejection inside a test file
// fails it (test/helpers/strict.ts is preloaded). `node scripts/run-tests.mjs unit` (or
// integration, bench) runs one suite; TEND_SKIP_BENCH_SMOKE=1 skips the bench, saying so.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
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
// Each suite's failures, written by scripts/failures-reporter.mjs and printed again at the end.
const failuresDir = mkdtempSync(path.join(os.tmpdir(), 'tend-test-failures-'));
const failures = [];
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
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts/failures-reporter.mjs')}`,
      `--test-reporter-destination=${path.join(failuresDir, suite.name)}`,
      dir,
    ],
    { stdio: 'inherit', cwd: root, env: { ...process.env, TEND_TEST: '1' } },
  );
  if (result.status !== 0) failed = true;
  const file = path.join(failuresDir, suite.name);
  if (existsSync(file))
    for (const line of readFileSync(file, 'utf8').split('\n'))
      if (line !== '') failures.push({ suite: suite.name, ...JSON.parse(line) });
}
rmSync(failuresDir, { recursive: true, force: true });
if (failures.length > 0) {
  // Repeated last, so that a log cut to its tail still shows why (at most 8000 characters each).
  console.log(`\n# ${failures.length} failed test(s), repeated from above`);
  for (const f of failures) {
    const error = f.error.length > 8000 ? `${f.error.slice(0, 2000)}\n[…]\n${f.error.slice(-6000)}` : f.error;
    console.log(`\n## ${f.suite}: ${f.name}\n${f.file ?? ''}\n${error}`);
  }
}
process.exit(failed ? 1 : 0);
