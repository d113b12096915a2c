#!/usr/bin/env node
// Renders the figures table of docs/reliability.md from `npm run chaos -- --json FILE` results:
// one row per scenario, tend and supervisord side by side. Later files override earlier ones
// (a scenario re-run alone after a fix).   node chaos/report.mjs FULL.json [RERUN.json…]
import { readFileSync } from 'node:fs';
import { SCENARIOS } from './scenarios/index.mjs';

const runs = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const rows = new Map();
for (const run of runs)
  for (const r of run.rows) rows.set(`${r.id}/${r.system}`, { ...r, seed: run.seed, cases: run.cases });

const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const verdict = (r) => (r === undefined ? 'n/a' : r.skip ? 'not run' : r.pass ? 'pass' : '**fail**');
const figure = (r) => (r === undefined ? 'does not apply' : r.skip ? r.skip : r.figure);

const lines = [
  '| scenario | what was done | tend promises | tend: measured | tend | supervisord: measured | supervisord | reproduce |',
  '|---|---|---|---|---|---|---|---|',
];
for (const s of SCENARIOS) {
  const t = rows.get(`${s.id}/tend`);
  if (t === undefined) continue;
  const sv = rows.get(`${s.id}/supervisord`);
  const cmd = `\`npm run chaos -- --only ${s.id} --seed ${t.seed}\``;
  lines.push(
    `| ${[s.id, s.title, t.promise, figure(t), verdict(t), figure(sv), verdict(sv), cmd].map(cell).join(' | ')} |`,
  );
}
console.log(lines.join('\n'));
