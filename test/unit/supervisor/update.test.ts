import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addGroup,
  removeGroup,
  rereadConfig,
  startAutostart,
  startSwapped,
  stopLeaving,
  stopProcess,
  swapGroup,
  updateGroups,
  type Supervisor,
} from '../../../src/supervisor/index.js';
import { configOf, groupConfig, processConfig } from '../../helpers/configs.js';
import { pumping, testApi } from '../../helpers/api.js';

// reread changes nothing; update replaces the members whose config changed and keeps the others
// (same ManagedProcess, same pid), in the three steps supervisorctl drives and in one call.

const before = () => [
  groupConfig('pool', [
    processConfig({ name: 'p1', startsecs: 0 }),
    processConfig({ name: 'p2', startsecs: 0 }),
  ]),
  groupConfig('solo', [processConfig({ name: 'solo', startsecs: 0 })]),
  groupConfig('gone', [processConfig({ name: 'gone', startsecs: 0 })]),
];

const after = () =>
  configOf([
    groupConfig('pool', [
      processConfig({ name: 'p1', startsecs: 0, environment: { NEW: '1' } }),
      processConfig({ name: 'p2', startsecs: 0 }),
      processConfig({ name: 'p3', startsecs: 0 }),
    ]),
    groupConfig('solo', [processConfig({ name: 'solo', startsecs: 0 })]),
    groupConfig('fresh', [processConfig({ name: 'fresh', startsecs: 0 })]),
  ]);

const pids = (sup: Supervisor): Record<string, number> =>
  Object.fromEntries(sup.allInfo().map((i) => [`${i.group}:${i.name}`, i.pid]));

const running = async () => {
  const api = testApi(before());
  startAutostart(api.sup);
  api.clock.advance(0);
  await Promise.resolve();
  return api;
};

describe('reread and update', () => {
  it('reread reports the group diff against what runs and changes nothing', async () => {
    const { sup } = await running();
    const was = pids(sup);
    assert.deepEqual(rereadConfig(sup, after()), { added: ['fresh'], changed: ['pool'], removed: ['gone'] });
    assert.deepEqual(pids(sup), was);
    assert.deepEqual(
      rereadConfig(sup, after()),
      { added: ['fresh'], changed: ['pool'], removed: ['gone'] },
      'twice',
    );
  });

  it("supervisorctl's three steps replace only the changed member of a changed group", async () => {
    const { sup, clock } = await running();
    const was = pids(sup);
    const p2 = sup.target('pool:p2').entry.proc;
    rereadConfig(sup, after());
    const { results, wereRunning } = await pumping(clock, stopLeaving(sup, 'pool', true));
    assert.deepEqual(
      results.map((r) => r.name),
      ['p1'],
    );
    assert.equal(sup.info('pool:p2').statename, 'RUNNING');
    const start = swapGroup(sup, 'pool', wereRunning);
    assert.deepEqual([...start].sort(), ['p1', 'p3']);
    startSwapped(sup, 'pool', start);
    clock.advance(0);
    assert.equal(sup.target('pool:p2').entry.proc, p2, 'p2 is the same process');
    const now = pids(sup);
    assert.equal(now['pool:p2'], was['pool:p2']);
    assert.notEqual(now['pool:p1'], was['pool:p1']);
    assert.ok((now['pool:p3'] ?? 0) > 0);
    assert.equal(sup.info('solo').pid, was['solo:solo']);
  });

  it('a changed member that still runs blocks the swap with STILL_RUNNING', async () => {
    const { sup } = await running();
    rereadConfig(sup, after());
    assert.throws(() => swapGroup(sup, 'pool', new Set()), { code: 'STILL_RUNNING', faultDetail: 'pool' });
  });

  it('updateGroups does all of it in one call, and only for the groups asked', async () => {
    const { sup, clock } = await running();
    const was = pids(sup);
    const onlyPool = await pumping(clock, updateGroups(sup, after(), ['pool']));
    assert.deepEqual(Object.keys(onlyPool.stopped), ['pool']);
    assert.equal(sup.group('gone') !== undefined && sup.group('fresh') === undefined, true);
    await pumping(clock, updateGroups(sup, after()));
    clock.advance(0);
    assert.deepEqual(
      sup
        .groups()
        .map((g) => g.config.name)
        .sort(),
      ['fresh', 'pool', 'solo'],
    );
    assert.equal(pids(sup)['pool:p2'], was['pool:p2']);
    assert.equal(sup.info('fresh').statename, 'RUNNING');
  });

  it('add and remove follow supervisord: BAD_NAME, ALREADY_ADDED, STILL_RUNNING', async () => {
    const { sup, clock } = await running();
    assert.throws(
      () => {
        addGroup(sup, 'nosuch');
      },
      { code: 'BAD_NAME' },
    );
    assert.throws(
      () => {
        addGroup(sup, 'solo');
      },
      { code: 'ALREADY_ADDED' },
    );
    assert.throws(
      () => {
        removeGroup(sup, 'solo');
      },
      { code: 'STILL_RUNNING' },
    );
    assert.throws(
      () => {
        removeGroup(sup, 'nosuch');
      },
      { code: 'BAD_NAME' },
    );
    await pumping(clock, stopProcess(sup, 'gone:*'));
    removeGroup(sup, 'gone');
    assert.equal(sup.group('gone'), undefined);
    addGroup(sup, 'gone');
    clock.advance(0);
    assert.equal(sup.info('gone').statename, 'RUNNING', 'an added group autostarts');
  });
});
