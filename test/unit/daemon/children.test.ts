import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ChildRegistry, parseState, processStartTime } from '../../../src/daemon/children.js';
import { tempDir } from '../../helpers/tmp.js';

const record = (pid: number) => ({
  pid,
  startTime: 1000 + pid,
  stopSignal: 'TERM',
  stopWaitSecs: 10,
  name: `p${pid}`,
});

describe('child registry (the state file the guardian and the next daemon read)', () => {
  it('lists exactly the children that were added and not removed', () => {
    const file = path.join(tempDir(), 'children');
    const registry = new ChildRegistry(file);
    registry.add(record(1));
    registry.add(record(2));
    registry.add(record(3));
    registry.remove(2);
    registry.remove(99);
    registry.close();
    assert.deepEqual(
      parseState(readFileSync(file, 'utf8')).map((r) => r.pid),
      [1, 3],
    );
  });

  it('compacts itself so a crash loop does not grow the file without bound, keeping the live set', () => {
    const file = path.join(tempDir(), 'children');
    const registry = new ChildRegistry(file);
    registry.add(record(7));
    for (let i = 0; i < 5000; i++) {
      registry.add(record(100 + i));
      registry.remove(100 + i);
    }
    registry.close();
    const text = readFileSync(file, 'utf8');
    assert.ok(text.split('\n').length < 600, `${text.split('\n').length} lines`);
    assert.deepEqual(parseState(text), [record(7)]);
  });

  it('reads its own start time from /proc the way the guardian does (field 22)', () => {
    const fromProc = processStartTime(process.pid);
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const expected = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    assert.equal(fromProc, expected);
    assert.equal(processStartTime(2 ** 30), undefined);
  });
});
