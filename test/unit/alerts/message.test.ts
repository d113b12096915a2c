// What a message says in each of its three forms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  renderJson,
  renderSlack,
  renderText,
  summaryOf,
  type AlertMessage,
} from '../../../src/alerts/message.js';
import type { TendEvent } from '../../../src/events/index.js';

const AT = Date.UTC(2026, 11, 2, 9, 50, 49, 657);

const exited: TendEvent = {
  type: 'PROCESS_STATE_EXITED',
  group: 'web',
  name: 'web',
  from: 'RUNNING',
  to: 'EXITED',
  pid: 4242,
  tries: 0,
  expected: false,
  exitStatus: 3,
  spawnerr: 'Bad exit code 3',
  serial: 17,
  time: AT,
};

const unhealthy: TendEvent = {
  type: 'PROCESS_HEALTH_UNHEALTHY',
  group: 'api',
  name: 'api_1',
  pid: 7,
  check: 'http://127.0.0.1:8080/health',
  detail: 'HTTP 503',
  failures: 3,
  serial: 18,
  time: AT,
};

const message = (overrides: Partial<AlertMessage> = {}): AlertMessage => ({
  alert: 'ops',
  host: 'box1',
  test: false,
  items: [{ event: exited, stderr: 'line a\n```oops```\nfatal: boom\n' }],
  more: 0,
  dropped: 0,
  createdAt: AT,
  ...overrides,
});

describe('alert messages', () => {
  it('one event: the subject says who and what', () => {
    assert.equal(summaryOf(message()), '[tend box1] web exited unexpectedly (exit status 3, pid 4242)');
  });

  it('plain text: when, program, type, what, why and the stderr lines', () => {
    assert.equal(
      renderText(message()),
      [
        'tend on box1, alert [alert:ops]: 1 event',
        '',
        '2026-12-02T09:50:49.657Z  web  PROCESS_STATE_EXITED',
        '  what: exited unexpectedly (exit status 3, pid 4242)',
        '  why:  Bad exit code 3',
        '  last stderr lines:',
        '  | line a',
        '  | ```oops```',
        '  | fatal: boom',
        '',
      ].join('\n'),
    );
  });

  it('several events: counted, the programs named, dropped and more said', () => {
    const m = message({
      items: [message().items[0]!, { event: unhealthy, stderr: null }],
      more: 4,
      dropped: 2,
    });
    assert.equal(summaryOf(m), '[tend box1] 6 events about api:api_1, web');
    const text = renderText(m);
    assert.match(text, /\(2 earlier events were dropped: the alert's queue was full\)/);
    assert.match(
      text,
      /api:api_1 {2}PROCESS_HEALTH_UNHEALTHY\n {2}what: unhealthy: http:\/\/127\.0\.0\.1:8080\/health failed 3 times in a row\n {2}why: {2}HTTP 503/,
    );
    assert.match(text, /… and 4 more events/);
  });

  it('JSON: the document with each event and the raw event', () => {
    const doc = renderJson(message()) as Record<string, unknown> & { events: Record<string, unknown>[] };
    assert.equal(doc.source, 'tend');
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.programs, ['web']);
    assert.equal(doc.createdAt, '2026-12-02T09:50:49.657Z');
    assert.deepEqual(Object.keys(doc.events[0]!), [
      'type',
      'serial',
      'time',
      'program',
      'what',
      'why',
      'stderr',
      'event',
    ]);
    assert.equal(doc.events[0]!.event, exited);
  });

  it("Slack: a text whose code block the program's output cannot close", () => {
    const { text } = renderSlack(message()) as { text: string };
    assert.equal(
      text,
      "[tend box1] web exited unexpectedly (exit status 3, pid 4242)\n*web* exited unexpectedly (exit status 3, pid 4242) — Bad exit code 3\n```line a\n'''oops'''\nfatal: boom```",
    );
  });

  it('a test message says it is one', () => {
    const m = message({ test: true, items: [] });
    assert.equal(summaryOf(m), '[tend box1] test message from alert ops');
    assert.match(renderText(m), /^This is a test message from tend on box1, alert \[alert:ops\]/);
    assert.equal((renderJson(m) as { test: boolean }).test, true);
  });
});
