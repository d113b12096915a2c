// One alert's queue, batches and retries, on a fake clock with a transport the test answers:
// events of one instant go together, events that come while a message is in flight go in the
// next one, batch_seconds holds the first event, retries back off 1 s, 2 s, 4 s with the same
// delivery id, a message given up is counted, logged with what it said and published, a full
// queue drops the oldest (counted, and said in the next message), and shutdown hurries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertSender, QUEUE_LIMIT, emptyStats } from '../../../src/alerts/sender.js';
import { MAX_DETAILED } from '../../../src/alerts/message.js';
import type { Delivery } from '../../../src/alerts/index.js';
import type { AlertConfig } from '../../../src/config/index.js';
import type { AlertEvent, TendEvent } from '../../../src/events/index.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const CONFIG: AlertConfig = {
  name: 'ops',
  target: { kind: 'webhook', url: 'http://127.0.0.1:9/' },
  format: 'json',
  secret: null,
  events: ['PROCESS_STATE_FATAL'],
  programs: [],
  batchSeconds: 0,
  retries: 5,
  stderrLines: 10,
  mail: null,
  source: { file: '/t.conf', line: 1 },
};

const fatal = (name: string, serial = 0): TendEvent => ({
  type: 'PROCESS_STATE_FATAL',
  group: name,
  name,
  from: 'BACKOFF',
  to: 'FATAL',
  pid: 0,
  tries: 0,
  expected: true,
  exitStatus: null,
  spawnerr: 'too many start retries too quickly',
  serial,
  time: 0,
});

/** Lets promise callbacks run (the transport's answers, the stderr reads). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

const setup = (overrides: Partial<AlertConfig> = {}) => {
  const clock = new FakeClock();
  const calls: Delivery[] = [];
  /** Per call: an error text to fail with, 'hold' to never answer, or nothing to succeed. */
  const answers: string[] = [];
  const published: AlertEvent[] = [];
  const logs: string[] = [];
  let stderrReads = 0;
  const sender = new AlertSender(
    { ...CONFIG, ...overrides },
    {
      clock,
      transport: (d) => {
        calls.push(d);
        const answer = answers.shift();
        if (answer === 'hold') return new Promise(() => undefined);
        return answer === undefined ? Promise.resolve() : Promise.reject(new Error(answer));
      },
      log: (level, message) => logs.push(`${level} ${message}`),
      publish: (e) => published.push(e),
      host: 'box',
      stats: emptyStats(),
    },
  );
  const offer = (e: TendEvent): void => {
    sender.offer(e, () => {
      stderrReads += 1;
      return Promise.resolve(`last words of ${e.type}\n`);
    });
  };
  return { clock, calls, answers, published, logs, sender, offer, stderrReads: () => stderrReads };
};

const names = (d: Delivery | undefined): string[] =>
  d?.message.items.map((i) => ('name' in i.event ? i.event.name : '')) ?? [];

describe('AlertSender', () => {
  it('sends the events of one instant together, with their stderr', async () => {
    const t = setup();
    t.offer(fatal('a'));
    t.offer(fatal('b'));
    assert.equal(t.calls.length, 0, 'offer() only queues');
    t.clock.advance(0);
    await settle();
    assert.equal(t.calls.length, 1);
    assert.deepEqual(names(t.calls[0]), ['a', 'b']);
    assert.equal(t.calls[0]?.message.items[0]?.stderr, 'last words of PROCESS_STATE_FATAL\n');
    assert.deepEqual(
      t.published.map((e) => [e.type, e.events, e.programs.join(','), e.attempts]),
      [['ALERT_SENT', 2, 'a,b', 1]],
    );
    assert.equal(t.sender.stats.sent, 1);
  });

  it('sends what came during a delivery in the next message', async () => {
    const t = setup();
    t.answers.push('hold');
    t.offer(fatal('a'));
    t.clock.advance(0);
    await settle();
    for (const n of ['b', 'c']) t.offer(fatal(n));
    t.clock.advance(10_000);
    await settle();
    assert.equal(t.calls.length, 1, 'one message in flight at a time');
    assert.equal(t.sender.queued, 2);
  });

  it('holds the first event batch_seconds to gather more', async () => {
    const t = setup({ batchSeconds: 5 });
    t.offer(fatal('a'));
    t.clock.advance(2000);
    t.offer(fatal('b'));
    t.clock.advance(2999);
    await settle();
    assert.equal(t.calls.length, 0);
    t.clock.advance(1);
    await settle();
    assert.deepEqual(names(t.calls[0]), ['a', 'b']);
  });

  it('retries after 1 s, 2 s, 4 s with the same delivery id, then succeeds', async () => {
    const t = setup();
    t.answers.push('ECONNREFUSED', 'HTTP 502', 'HTTP 503');
    t.offer(fatal('a'));
    t.clock.advance(0);
    await settle();
    for (const [wait, calls] of [
      [999, 1],
      [1, 2],
      [1999, 2],
      [1, 3],
      [3999, 3],
      [1, 4],
    ] as const) {
      t.clock.advance(wait);
      await settle();
      assert.equal(t.calls.length, calls, `after ${wait} more ms`);
    }
    assert.deepEqual(
      t.calls.map((c) => c.attempt),
      [1, 2, 3, 4],
    );
    assert.equal(new Set(t.calls.map((c) => c.id)).size, 1);
    assert.deepEqual([t.sender.stats.retries, t.sender.stats.sent, t.sender.stats.failed], [3, 1, 0]);
    assert.equal(t.published[0]?.attempts, 4);
    assert.match(
      t.logs[0] ?? '',
      /^warn alert ops: webhook delivery failed \(ECONNREFUSED\); attempt 2 of 6 in 1s$/,
    );
  });

  it('gives up after its retries: counted, logged with what was lost, published', async () => {
    const t = setup({ retries: 1 });
    t.answers.push('HTTP 500', 'HTTP 500');
    t.offer(fatal('a'));
    t.clock.advance(0);
    await settle();
    t.clock.advance(1000);
    await settle();
    assert.equal(t.calls.length, 2);
    assert.deepEqual([t.sender.stats.failed, t.sender.stats.lastError], [1, 'HTTP 500']);
    assert.match(
      t.logs.at(-1) ?? '',
      /^error alert ops: could not deliver by webhook after 2 attempts \(HTTP 500\); lost: \[tend box\] a gave up: FATAL/,
    );
    assert.deepEqual(
      t.published.map((e) => [e.type, e.error]),
      [['ALERT_FAILED', 'HTTP 500']],
    );
    // The next event is a new message.
    t.offer(fatal('b'));
    t.clock.advance(0);
    await settle();
    assert.deepEqual(names(t.calls[2]), ['b']);
  });

  it('drops the oldest events beyond its queue, counts them, says so once and in the next message', async () => {
    const t = setup();
    t.answers.push('hold');
    t.offer(fatal('first'));
    t.clock.advance(0);
    await settle();
    for (let i = 0; i < QUEUE_LIMIT + 5; i++) t.offer(fatal(`p${i}`, i));
    assert.equal(t.sender.stats.dropped, 5);
    assert.equal(t.logs.filter((l) => /dropping the oldest/.test(l)).length, 1);
    assert.equal(t.stderrReads(), 1 + MAX_DETAILED, 'stderr is read only for events a message details');
    const closed = setup();
    closed.sender.close();
    assert.equal(closed.logs.length, 0, 'nothing lost, nothing said');
  });

  it('says how many were dropped and not detailed', async () => {
    const t = setup();
    t.answers.push('HTTP 500');
    t.offer(fatal('first'));
    t.clock.advance(0);
    await settle();
    for (let i = 0; i < QUEUE_LIMIT + 3; i++) t.offer(fatal(`p${i}`, i));
    t.clock.advance(1000);
    await settle();
    t.clock.advance(0);
    await settle();
    const next = t.calls[2]!.message;
    assert.equal(next.dropped, 3);
    assert.equal(next.items.length, MAX_DETAILED);
    assert.equal(next.more, QUEUE_LIMIT - MAX_DETAILED);
    assert.equal(next.items[0]?.event.serial, 3, 'the oldest went first');
  });

  it('drain() sends at once on shutdown; close() logs what is still undelivered', async () => {
    const t = setup({ batchSeconds: 60 });
    t.offer(fatal('a'));
    const first = t.sender.drain();
    t.clock.advance(0);
    await first;
    assert.deepEqual(names(t.calls[0]), ['a']);
    t.answers.push('hold');
    t.offer(fatal('b'));
    const drained = t.sender.drain();
    t.clock.advance(0);
    await settle();
    t.offer(fatal('c'));
    t.sender.close();
    assert.match(
      t.logs.at(-1) ?? '',
      /^error alert ops: the daemon stopped before 2 queued events or messages were delivered$/,
    );
    assert.equal(
      await Promise.race([drained.then(() => 'drained'), settle().then(() => 'pending')]),
      'pending',
    );
  });
});

describe('AlertSender in a crash storm', () => {
  it('starts at most one message a second, gathering the crashes in between', async () => {
    const t = setup();
    for (let ms = 0; ms < 3000; ms += 100) {
      t.offer(fatal(`c${ms}`));
      t.clock.advance(100);
      await settle();
    }
    assert.deepEqual(
      t.calls.map((c) => c.message.items.length),
      [1, 9, 10, 10],
    );
  });
});
