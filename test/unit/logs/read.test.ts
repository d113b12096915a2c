import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readLogRange, tailLog } from '../../../src/logs/index.js';
import { tempDir } from '../../helpers/tmp.js';

// Expected values come from supervisord's own readFile/tailFile (options.py), run through the
// Debian python3 that has the supervisor package, so these tests check tend against the real thing.
const PYTHON = '/usr/bin/python3';

const supervisord = (file: string, calls: [string, number, number][]): unknown[] => {
  const script = `
import json, sys
from supervisor.options import readFile, tailFile
out = []
for fn, off, ln in json.loads(sys.argv[2]):
    try:
        if fn == 'read':
            out.append({'ok': readFile(sys.argv[1], off, ln).decode('latin1')})
        else:
            d, o, ov = tailFile(sys.argv[1], off, ln)
            out.append({'ok': [d, o, ov]})
    except ValueError as e:
        out.append({'error': e.args[0]})
print(json.dumps(out))
`;
  const result = spawnSync(PYTHON, ['-c', script, file, JSON.stringify(calls)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
};

const hasSupervisor = spawnSync(PYTHON, ['-c', 'import supervisor']).status === 0;

describe(
  'log reads match supervisord readFile/tailFile',
  { skip: !hasSupervisor && 'needs Debian python3-supervisor' },
  () => {
    const dir = tempDir();
    const file = path.join(dir, 'log');
    writeFileSync(file, '0123456789abcdefghij');

    const offsets = [-100, -25, -20, -5, -1, 0, 1, 5, 19, 20, 25];
    const lengths = [-3, 0, 1, 5, 20, 100];
    const calls: [string, number, number][] = [];
    for (const o of offsets) for (const l of lengths) calls.push(['read', o, l], ['tail', o, l]);

    it('for every offset/length combination', () => {
      const expected = supervisord(file, calls);
      calls.forEach(([fn, offset, length], i) => {
        const want = expected[i] as { ok?: unknown; error?: string };
        const label = `${fn}(${offset}, ${length})`;
        if (fn === 'read') {
          let got: unknown;
          try {
            got = { ok: readLogRange(file, offset, length).toString('latin1') };
          } catch (error) {
            got = { error: (error as { code: string }).code };
          }
          assert.deepEqual(got, want, label);
        } else {
          const t = tailLog(file, offset, length);
          assert.deepEqual({ ok: [t.bytes.toString('latin1'), t.offset, t.overflow] }, want, label);
        }
      });
    });

    it('a missing file is FAILED for reads and an empty tail at the same offset', () => {
      assert.throws(() => readLogRange(path.join(dir, 'nope'), 0, 0), { code: 'FAILED' });
      assert.deepEqual(tailLog(path.join(dir, 'nope'), 7, 10), {
        bytes: Buffer.alloc(0),
        offset: 7,
        overflow: false,
      });
    });
  },
);
