import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventCounters } from '../../../../src/api/metrics/counters.js';
import {
  Exposition,
  escapeHelp,
  escapeLabelValue,
  formatValue,
  renderLabels,
} from '../../../../src/api/metrics/exposition.js';
import { parseVmSize, parseMaxFds } from '../../../../src/api/metrics/self.js';
import { MonotonicCpu } from '../../../../src/api/metrics/monotonic.js';
import { EventBus } from '../../../../src/events/index.js';
import { parseExposition } from '../../../helpers/prom.js';

describe('the text exposition format', () => {
  it('escapes backslash, double quote and newline in label values, and backslash and newline in HELP', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeHelp('a\\b"c\nd'), 'a\\\\b"c\\nd');
    assert.equal(
      renderLabels([
        ['group', 'x"y'],
        ['name', 'n\\'],
      ]),
      'group="x\\"y",name="n\\\\"',
    );
  });

  it('spells special values as Go does and keeps plain numbers as they are', () => {
    assert.deepEqual([NaN, Infinity, -Infinity, 0, 3, 0.25, 1796204446.574, 2 ** 53].map(formatValue), [
      'NaN',
      '+Inf',
      '-Inf',
      '0',
      '3',
      '0.25',
      '1796204446.574',
      '9007199254740992',
    ]);
  });

  it('round-trips awkward label values through a reader of the format', () => {
    const out = new Exposition();
    const value = 'we"ird\\name\nwith newline';
    out.family('listenerBuffered', (add) => {
      add(renderLabels([['pool', value]]), 7);
    });
    const [family] = parseExposition(out.text());
    assert.deepEqual(family?.samples[0], {
      name: 'tend_listener_pool_buffered_events',
      labels: [['pool', value]],
      value: 7,
    });
  });
});

describe("the daemon's own figures from /proc/self", () => {
  it('reads VmSize and the soft limit of open files', () => {
    assert.equal(parseVmSize('Name:\tnode\nVmPeak:\t  200 kB\nVmSize:\t  123 kB\n'), 123 * 1024);
    assert.equal(parseVmSize('Name:\tnode\n'), null);
    const limits =
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n';
    assert.equal(parseMaxFds(limits), 1024);
    assert.equal(parseMaxFds(limits.replace('1024 ', 'unlimited ')), Infinity);
  });
});

describe('EventCounters', () => {
  const exit = (group: string, name: string) =>
    ({
      type: 'PROCESS_STATE_EXITED',
      group,
      name,
      from: 'RUNNING',
      to: 'EXITED',
      pid: 12,
      tries: 0,
      expected: false,
      exitStatus: 2,
      spawnerr: '',
    }) as const;

  it('counts per process entry: a removed process takes its counts along, a new entry starts at 0', () => {
    const bus = new EventBus();
    const entries = new Map<string, object>([
      ['g:a', {}],
      ['other:other', {}],
    ]);
    const counters = new EventCounters(bus, (group, name) => entries.get(`${group}:${name}`));
    const countsOf = (key: string) => counters.of(entries.get(key) ?? {});
    bus.emit(exit('g', 'a'));
    bus.emit(exit('g', 'a'));
    bus.emit(exit('other', 'other'));
    bus.emit(exit('gone', 'gone'));
    assert.equal(countsOf('g:a').exits.get(2), 2);
    entries.set('g:a', {});
    assert.equal(countsOf('g:a').exits.get(2), undefined);
    assert.equal(countsOf('other:other').exits.get(2), 1);
    assert.equal(counters.events.get('PROCESS_STATE_EXITED'), 4);
    counters.close();
    bus.emit(exit('other', 'other'));
    assert.equal(countsOf('other:other').exits.get(2), 1);
  });
});

describe('MonotonicCpu', () => {
  it("never lets a run's CPU counter go down (a member left the tree unreaped), and starts a new run afresh", () => {
    const cpu = new MonotonicCpu();
    const owner = {};
    assert.deepEqual(
      [cpu.value(owner, 1, 2), cpu.value(owner, 1, 5), cpu.value(owner, 1, 3), cpu.value(owner, 1, 4)],
      [2, 5, 5, 6],
    );
    assert.equal(cpu.value(owner, 2, 0.5), 0.5);
    assert.equal(cpu.value({}, 2, 0.25), 0.25);
  });
});
