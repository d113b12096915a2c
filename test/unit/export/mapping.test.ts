import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, type ProcessConfig } from '../../../src/config/index.js';
import { renderExportDocs } from '../../../src/export/docs.js';
import { reportUnmapped, TARGETS } from '../../../src/export/mapping.js';
import { Findings } from '../../../src/export/report.js';
import { MAPPING_ROWS } from '../../../src/export/rows.js';
import { assertGeneratedDocCurrent } from '../../helpers/generated-docs.js';
import { scratch } from '../config/helpers.js';

// The mapping table has a row for every field of a resolved process, so no key can be dropped
// without a word; a field it does not know (a key added later) is reported by every target.

const oneProcess = (): ProcessConfig => {
  const { write } = scratch();
  const file = write('t.conf', '[supervisord]\n[program:web]\ncommand = /bin/true\n');
  const config = loadConfig(file, { env: {}, cwd: path.dirname(file) });
  return config.groups[0]?.processes[0] as ProcessConfig;
};

describe('the export mapping table', () => {
  it('has exactly one row per ProcessConfig field', () => {
    const fields = Object.keys(oneProcess()).sort();
    const rows = MAPPING_ROWS.map((r) => r.field).sort();
    assert.deepEqual(rows, fields);
  });

  it('says for every row what each target does', () => {
    for (const row of MAPPING_ROWS) for (const t of TARGETS) assert.ok(row.targets[t], `${row.field} ${t}`);
  });

  it('warns, on every target, about a field it has no row for', () => {
    const p = { ...oneProcess(), futureKey: 1048576 } as unknown as ProcessConfig;
    for (const target of TARGETS) {
      const findings = new Findings();
      reportUnmapped(MAPPING_ROWS, target, p, findings);
      assert.ok(
        findings.items.some((f) => f.level === 'warning' && f.key === 'futureKey' && f.program === 'web'),
        target,
      );
    }
  });

  it('warns about a dropped key only when the program sets it', () => {
    const p = oneProcess();
    const quiet = new Findings();
    reportUnmapped(MAPPING_ROWS, 'kubernetes', p, quiet);
    assert.deepEqual(quiet.items, []);
    const loud = new Findings();
    reportUnmapped(MAPPING_ROWS, 'kubernetes', { ...p, umask: 0o022, watchdogSec: 5 }, loud);
    assert.deepEqual(
      loud.items.map((f) => f.key),
      ['umask', 'watchdog_sec'],
    );
  });

  it('is what docs/export.md shows', async () => {
    await assertGeneratedDocCurrent('docs/export.md', renderExportDocs);
  });
});
