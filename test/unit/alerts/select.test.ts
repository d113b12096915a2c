// Which events an alert takes: its types (parents expanded), unexpected exits only, its globs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selector } from '../../../src/alerts/select.js';
import type { EventTypeName, TendEvent } from '../../../src/events/index.js';

const state = (to: string, group: string, name: string, expected = false): TendEvent =>
  ({
    type: `PROCESS_STATE_${to}`,
    group,
    name,
    from: 'RUNNING',
    to,
    pid: 1,
    tries: 0,
    expected,
    exitStatus: 1,
    spawnerr: '',
    serial: 0,
    time: 0,
  }) as TendEvent;

const DEFAULTS: EventTypeName[] = [
  'PROCESS_STATE_FATAL',
  'PROCESS_STATE_EXITED',
  'PROCESS_HEALTH_UNHEALTHY',
  'PROCESS_FLAP_GUARD',
];

describe('alert selector', () => {
  it('takes the default types, and an EXITED only when it was unexpected', () => {
    const s = selector({ events: DEFAULTS, programs: ['*'] });
    assert.ok(s.selects(state('FATAL', 'web', 'web')));
    assert.ok(s.selects(state('EXITED', 'web', 'web')));
    assert.ok(!s.selects(state('EXITED', 'web', 'web', true)));
    assert.ok(!s.selects(state('BACKOFF', 'web', 'web')));
    assert.ok(!s.selects({ type: 'TICK_5', when: 0, serial: 0, time: 0 }));
  });

  it('expands parents', () => {
    const s = selector({ events: ['PROCESS_STATE'], programs: [] });
    assert.equal(s.types.size, 8);
    assert.ok(s.selects(state('BACKOFF', 'web', 'web')));
  });

  it('matches globs against the group, the process name and the namespec', () => {
    const s = selector({ events: DEFAULTS, programs: ['web*', 'db:replica?', 'w[0-9]'] });
    assert.ok(s.selects(state('FATAL', 'webapp', 'webapp')));
    assert.ok(s.selects(state('FATAL', 'db', 'replica1')));
    assert.ok(!s.selects(state('FATAL', 'db', 'primary')));
    assert.ok(s.selects(state('FATAL', 'workers', 'w3')));
    assert.ok(!s.selects(state('FATAL', 'api', 'api')));
    // An event about no program passes only an alert about every program.
    const ticks = selector({ events: ['TICK_5'], programs: ['web'] });
    assert.ok(!ticks.selects({ type: 'TICK_5', when: 0, serial: 0, time: 0 }));
  });
});
