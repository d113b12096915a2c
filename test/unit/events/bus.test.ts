import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVENT_TYPE_NAMES,
  EventBus,
  EventHistory,
  expandTypes,
  isEventTypeName,
  typesOf,
  type EventTypeName,
  type TendEvent,
} from '../../../src/events/index.js';

const state = (to: 'STARTING' | 'RUNNING', name = 'web') =>
  ({
    type: `PROCESS_STATE_${to}`,
    group: name,
    name,
    from: 'STOPPED',
    to,
    pid: 1,
    tries: 0,
    expected: true,
    exitStatus: null,
    spawnerr: '',
  }) as const;

describe('event type hierarchy', () => {
  // Which concrete types each subscription name stands for (events.py isinstance semantics).
  const cases: [EventTypeName, string[]][] = [
    ['PROCESS_STATE_RUNNING', ['PROCESS_STATE_RUNNING']],
    ['PROCESS_LOG', ['PROCESS_LOG_STDOUT', 'PROCESS_LOG_STDERR']],
    ['PROCESS_COMMUNICATION', ['PROCESS_COMMUNICATION_STDOUT', 'PROCESS_COMMUNICATION_STDERR']],
    ['SUPERVISOR_STATE_CHANGE', ['SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE_STOPPING']],
    ['TICK', ['TICK_5', 'TICK_60', 'TICK_3600']],
    ['PROCESS_GROUP', ['PROCESS_GROUP_ADDED', 'PROCESS_GROUP_REMOVED']],
    ['REMOTE_COMMUNICATION', ['REMOTE_COMMUNICATION']],
    ['PROCESS_HEALTH_UNHEALTHY', ['PROCESS_HEALTH_UNHEALTHY']],
  ];
  for (const [name, expected] of cases) {
    it(`${name} stands for ${expected.join(', ')}`, () => {
      assert.deepEqual([...typesOf(name)].sort(), expected.sort());
    });
  }

  it("EVENT is every supervisord type and none of tend's own", () => {
    const all = typesOf('EVENT');
    assert.equal(all.length, 20);
    for (const own of [
      'PROCESS_HEALTH_HEALTHY',
      'PROCESS_READY',
      'PROCESS_RESTART',
      'LOG_BYTES_DROPPED',
      'ALERT_SENT',
      'ALERT_FAILED',
    ]) {
      assert.ok(!(all as readonly string[]).includes(own), own);
    }
    assert.equal(typesOf('PROCESS_STATE').length, 8);
  });

  it('knows the names events= accepts, and not others', () => {
    assert.equal(EVENT_TYPE_NAMES.length, 40);
    assert.ok(isEventTypeName('PROCESS_STATE'));
    assert.ok(isEventTypeName('PROCESS_FLAP_GUARD'));
    assert.ok(isEventTypeName('ALERT_FAILED'));
    assert.ok(!isEventTypeName('PROCESS_STATE_DONE'));
    assert.ok(!isEventTypeName('process_state'));
  });

  it('expands a list without repeats', () => {
    assert.equal(expandTypes(['PROCESS_STATE', 'PROCESS_STATE_RUNNING', 'EVENT']).size, 20);
  });
});

describe('EventBus', () => {
  it('numbers events from 0 and stamps the time of its clock', () => {
    let now = 1000;
    const bus = new EventBus({ now: () => now });
    const a = bus.emit({ type: 'PROCESS_GROUP_ADDED', group: 'a' });
    now = 2000;
    const b = bus.emit({ type: 'PROCESS_GROUP_ADDED', group: 'b' });
    assert.deepEqual([a.serial, a.time, b.serial, b.time], [0, 1000, 1, 2000]);
    assert.equal(bus.nextSerial, 2);
  });

  it('delivers by parent type, once per event even when two names cover it', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('PROCESS_STATE', (e) => seen.push(`state ${e.to}`));
    bus.onAny(['PROCESS_STATE_RUNNING', 'EVENT'], (e) => seen.push(`any ${e.type}`));
    bus.on('PROCESS_HEALTH_HEALTHY', (e) => seen.push(`health ${e.name}`));
    bus.emit(state('RUNNING'));
    bus.emit({
      type: 'PROCESS_HEALTH_HEALTHY',
      group: 'web',
      name: 'web',
      pid: 1,
      check: 'tcp:1',
      detail: null,
      failures: 0,
    });
    assert.deepEqual(seen, ['state RUNNING', 'any PROCESS_STATE_RUNNING', 'health web']);
  });

  it('says whether anyone listens to a type; taps do not count', () => {
    const bus = new EventBus();
    bus.tap(() => undefined);
    assert.equal(bus.wants('PROCESS_LOG_STDOUT'), false);
    const off = bus.on('PROCESS_LOG', () => undefined);
    assert.equal(bus.wants('PROCESS_LOG_STDOUT'), true);
    assert.equal(bus.wants('PROCESS_LOG_STDERR'), true);
    assert.equal(bus.wants('PROCESS_STATE_RUNNING'), false);
    off();
    assert.equal(bus.wants('PROCESS_LOG_STDOUT'), false);
  });

  it('delivers an event emitted by a listener after the current one, so every observer sees serial order', () => {
    const bus = new EventBus();
    const first: number[] = [];
    const second: number[] = [];
    bus.on('PROCESS_STATE', (e) => {
      first.push(e.serial);
      if (e.to === 'STARTING') bus.emit(state('RUNNING'));
    });
    bus.on('PROCESS_STATE', (e) => second.push(e.serial));
    bus.emit(state('STARTING'));
    assert.deepEqual(first, [0, 1]);
    assert.deepEqual(second, [0, 1]);
  });

  it('reports a listener that throws and still delivers to the others', () => {
    const errors: string[] = [];
    const bus = new EventBus({ onListenerError: (error, e) => errors.push(`${e.type}: ${String(error)}`) });
    const seen: string[] = [];
    bus.on('PROCESS_GROUP', () => {
      throw new Error('boom');
    });
    bus.on('PROCESS_GROUP', (e) => seen.push(e.group));
    bus.emit({ type: 'PROCESS_GROUP_REMOVED', group: 'x' });
    assert.deepEqual(seen, ['x']);
    assert.deepEqual(errors, ['PROCESS_GROUP_REMOVED: Error: boom']);
  });
});

describe('EventHistory', () => {
  const make = (serial: number, data = ''): TendEvent => ({
    type: 'PROCESS_LOG_STDOUT',
    group: 'g',
    name: 'n',
    pid: 1,
    channel: 'stdout',
    data,
    serial,
    time: 0,
  });

  it('resumes after a serial, and announces what it no longer has', () => {
    const history = new EventHistory({ maxEvents: 3, maxBytes: 1e9 });
    for (let i = 0; i < 5; i++) history.record(make(i));
    assert.deepEqual(
      history.all().map((e) => e.serial),
      [2, 3, 4],
    );
    const fine = history.since(2);
    assert.deepEqual([fine.events.map((e) => e.serial), fine.lost], [[3, 4], null]);
    const late = history.since(0);
    assert.deepEqual([late.events.map((e) => e.serial), late.lost], [[2, 3, 4], { from: 1, to: 1 }]);
    assert.deepEqual(history.since(4).events, []);
    assert.deepEqual(history.fromStart().lost, { from: 0, to: 1 });
  });

  it('is bounded by the bytes of output it holds, keeping at least the newest event', () => {
    const history = new EventHistory({ maxEvents: 100, maxBytes: 3000 });
    for (let i = 0; i < 10; i++) history.record(make(i, 'x'.repeat(1000)));
    assert.ok(history.bytes <= 3000);
    assert.deepEqual(
      history.all().map((e) => e.serial),
      [8, 9],
    );
    history.record(make(10, 'y'.repeat(10_000)));
    assert.deepEqual(
      history.all().map((e) => e.serial),
      [10],
    );
  });

  it('does not keep ticks', () => {
    const history = new EventHistory();
    history.record({ type: 'TICK_5', when: 5, serial: 0, time: 0 });
    assert.equal(history.size, 0);
  });

  it('stays bounded over many events (compacts its array)', () => {
    const history = new EventHistory({ maxEvents: 10, maxBytes: 1e9 });
    for (let i = 0; i < 10_000; i++) history.record(make(i));
    assert.equal(history.size, 10);
    assert.equal(history.all()[0]?.serial, 9990);
  });
});
