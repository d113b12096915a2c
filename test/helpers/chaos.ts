import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, run } from './daemon.js';
import { tempDir } from './tmp.js';

// The smoke run of the chaos suite inside npm test (issue 15): each scenario once at its smoke
// size, so the suite cannot rot. Timings are never judged here (the smoke sizes are too small for
// that); what is judged is that every scenario ran to a verdict and that tend passed it.

interface Row {
  readonly id: string;
  readonly system: string;
  readonly pass: boolean;
  readonly figure: string;
  /** Why the scenario could not run here (no root for a tmpfs, no libfaketime). */
  readonly skip?: string;
}

export const chaosSmoke = async (ids: readonly string[], systems = 'tend'): Promise<Row[]> => {
  const json = path.join(tempDir(), 'chaos.json');
  const args = ['chaos/run.mjs', '--smoke', '--systems', systems, '--only', ids.join(','), '--json', json];
  const result = await run(process.execPath, args, { cwd: ROOT, timeoutMs: 300_000 });
  // No JSON means the runner died before its table: say what it printed, not just ENOENT.
  assert.ok(
    existsSync(json),
    `chaos/run.mjs wrote no results (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
  );
  const rows = (JSON.parse(readFileSync(json, 'utf8')) as { rows: Row[] }).rows;
  const failed = rows.filter((r) => r.system === 'tend' && !r.pass && r.skip === undefined);
  for (const r of rows)
    if (r.skip !== undefined) process.stdout.write(`chaos ${r.id} on ${r.system} not run: ${r.skip}\n`);
  assert.deepEqual(failed, [], `${result.stdout}\n${result.stderr}`);
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  for (const id of ids)
    assert.ok(
      rows.some((r) => r.id === id && r.system === 'tend'),
      `no verdict for ${id}:\n${result.stdout}`,
    );
  return rows;
};
