import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Supervisor, applyReload } from '../../../src/supervisor/index.js';
import { configOf, groupConfig, processConfig } from '../../helpers/configs.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner } from '../../helpers/fake-spawner.js';

const p = (name: string, environment: Record<string, string> = {}) =>
  processConfig({ name, startsecs: 0, environment });

describe('Supervisor.followOutput', () => {
  it('follows a process by name across a reload that replaces it', async () => {
    const spawner = new FakeSpawner();
    spawner.lethalSignals.add('TERM');
    const sup = new Supervisor(configOf([groupConfig('web', [p('web')])]), {
      spawner,
      clock: new FakeClock(),
      log: () => undefined,
      env: {},
      cwd: '/',
    });
    const seen: string[] = [];
    const stop = sup.followOutput('web', 'stdout', (chunk) => seen.push(chunk.toString()));
    const before = sup.target('web').entry.stdout;
    before.ingest(Buffer.from('old\n'));
    sup.queue.flushAll();

    await applyReload(sup, configOf([groupConfig('web', [p('web', { CHANGED: '1' })])]));
    const after = sup.target('web').entry.stdout;
    assert.notEqual(after, before, 'the reload replaced the entry and its channel');
    after.ingest(Buffer.from('new\n'));
    sup.queue.flushAll();

    await applyReload(sup, configOf([]));
    await applyReload(sup, configOf([groupConfig('web', [p('web', { AGAIN: '1' })])]));
    sup.target('web').entry.stdout.ingest(Buffer.from('back\n'));
    sup.queue.flushAll();

    stop();
    sup.target('web').entry.stdout.ingest(Buffer.from('after unsubscribe\n'));
    sup.queue.flushAll();
    assert.deepEqual(seen, ['old\n', 'new\n', 'back\n']);
  });
});
