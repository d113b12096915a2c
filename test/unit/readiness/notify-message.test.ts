import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NOTIFY_MAX_BYTES, formatNotify, parseNotify } from '../../../src/readiness/index.js';

const parse = (text: string) => {
  const update = parseNotify(Buffer.from(text));
  assert.ok(update !== null);
  return update;
};

describe('sd_notify datagrams', () => {
  it('reads several KEY=VALUE lines from one datagram (systemd-notify --ready --status=…)', () => {
    const u = parse('READY=1\nSTATUS=hello world');
    assert.equal(u.ready, true);
    assert.equal(u.status, 'hello world');
    assert.equal(u.reloading, false);
    assert.equal(u.watchdog, null);
  });

  const cases: [string, string, Partial<Record<string, unknown>>][] = [
    ['a trailing newline is optional', 'READY=1\n', { ready: true }],
    ['READY=0 is not ready', 'READY=0', { ready: false }],
    ['RELOADING=1 with MONOTONIC_USEC', 'RELOADING=1\nMONOTONIC_USEC=123', { reloading: true }],
    ['STOPPING=1', 'STOPPING=1', { stopping: true }],
    ['MAINPID and ERRNO are numbers', 'MAINPID=4242\nERRNO=110', { mainpid: 4242, errno: 110 }],
    ['a bad number is ignored', 'MAINPID=abc', { mainpid: null }],
    ['WATCHDOG=1 is a ping', 'WATCHDOG=1', { watchdog: 'ping' }],
    ['WATCHDOG=trigger', 'WATCHDOG=trigger', { watchdog: 'trigger' }],
    ['WATCHDOG_USEC', 'WATCHDOG_USEC=2000000', { watchdogUsec: 2_000_000 }],
    ['EXTEND_TIMEOUT_USEC', 'EXTEND_TIMEOUT_USEC=5000000', { extendTimeoutUsec: 5_000_000 }],
    ['lines without = are skipped', 'garbage\nREADY=1\n=x', { ready: true }],
    ['the last assignment of a key wins', 'STATUS=a\nSTATUS=b', { status: 'b' }],
    ['a value may contain =', 'STATUS=a=b', { status: 'a=b' }],
    ['BARRIER=1 alone means nothing here', 'BARRIER=1', { ready: false, status: null }],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => {
      const u = parse(text) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(u[key], value, key);
    });
  }

  it('keeps every assignment, custom X_ ones too', () => {
    assert.equal(parse('X_APP=1\nREADY=1').assignments.get('X_APP'), '1');
  });

  it('drops datagrams over 4096 bytes, as systemd does', () => {
    assert.equal(parseNotify(Buffer.alloc(NOTIFY_MAX_BYTES + 1, 'a')), null);
    assert.ok(parseNotify(Buffer.from(`STATUS=${'a'.repeat(NOTIFY_MAX_BYTES - 7)}`)) !== null);
  });

  it('formats assignments for sending', () => {
    assert.equal(formatNotify({ READY: 1, STATUS: '2 running' }).toString(), 'READY=1\nSTATUS=2 running');
  });
});
