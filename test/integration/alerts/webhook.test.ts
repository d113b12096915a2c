import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEND, fixture, header, run, spawnDaemon, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';
import { throwawayCert } from './cert.js';
import { deadPort, startReceiver } from './receiver.js';

// [alert:x] webhooks against a real daemon with real crashing children and a real HTTP receiver
// that checks the signature (issue 9): what a message says, globs, batching, retries with the
// same delivery id, a dead receiver (retried, counted, logged, ALERT_FAILED), `tend alert`.

const SECRET = 'a-test-secret-of-32-characters!!';

interface AlertDoc {
  readonly alert: string;
  readonly test: boolean;
  readonly summary: string;
  readonly programs: string[];
  readonly events: {
    type: string;
    program: string;
    what: string;
    why: string | null;
    stderr: string | null;
  }[];
}

interface BusEvent {
  readonly type: string;
  readonly alert: string;
  readonly attempts: number;
  readonly events: number;
  readonly error: string | null;
}

/** Polls the daemon's recent events until one of `type` for `alert` is there. */
const waitForBus = async (d: Daemon, type: string, alert: string): Promise<BusEvent> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await d.tend(['events', '--json', '-n', '1000', '--types', type]);
    const found = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as BusEvent)
      .find((e) => e.alert === alert);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no ${type} for ${alert}:\n${d.output}`);
    await sleep(100);
  }
};

const docs = (bodies: { body: string }[]): AlertDoc[] => bodies.map((r) => JSON.parse(r.body) as AlertDoc);

describe('[alert:x] webhooks', () => {
  it('signs a JSON POST that says what happened, to which program, why, with its last stderr lines', async () => {
    const receiver = await startReceiver(SECRET);
    receiver.answers.push(500);
    const d = await startDaemon(`
[alert:ops]
url = ${receiver.url}/hook
secret = ${SECRET}

[alert:only-db]
url = ${receiver.url}/db
programs = db*

[program:fine]
command = ${fixture('exit-with.sh')} 0
startsecs = 0
autorestart = false

[program:crash]
command = ${fixture('crash-loud.sh')} 3
startsecs = 0
autostart = false
autorestart = false
`);
    // An expected exit is no news: if it were sent, it would come before the crash's message.
    await d.waitForState('fine', 'EXITED');
    assert.equal((await d.tend(['start', 'crash'])).code, 0);
    // The first POST is answered 500: the same message comes again, same delivery id.
    const [first, second] = await receiver.waitFor(2);
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(first.body, second.body);
    assert.equal(first.headers['tend-delivery'], second.headers['tend-delivery']);
    assert.deepEqual([first.headers['tend-attempt'], second.headers['tend-attempt']], ['1', '2']);
    assert.equal(second.path, '/hook');
    assert.equal(second.signed, true, 'the signature verifies');
    assert.equal(second.headers['tend-alert'], 'ops');
    const doc = docs([second])[0]!;
    assert.equal(doc.alert, 'ops');
    assert.deepEqual(doc.programs, ['crash']);
    assert.equal(doc.events.length, 1);
    const e = doc.events[0]!;
    assert.equal(e.type, 'PROCESS_STATE_EXITED');
    assert.equal(e.program, 'crash');
    assert.match(e.what, /exited unexpectedly \(exit status 3, pid \d+\)/);
    assert.match(e.why ?? '', /Bad exit code 3/);
    assert.match(e.stderr ?? '', /stderr line 7\n[^]*fatal: cannot reach the database\n$/);
    assert.doesNotMatch(e.stderr ?? '', /stderr line 6\n/, 'stderr_lines = 10 by default');
    assert.match(doc.summary, /crash exited unexpectedly/);
    const sent = await waitForBus(d, 'ALERT_SENT', 'ops');
    assert.equal(sent.attempts, 2);
    assert.match(d.output, /alert ops: webhook delivery failed \(HTTP 500: try later\); attempt 2 of 6/);
    // The glob db* matched nothing: nothing went to /db.
    assert.ok(receiver.received.every((r) => r.path === '/hook'));
  });

  it('gathers events into one message with batch_seconds, only for the programs named', async () => {
    const receiver = await startReceiver();
    // The three crashes of one start come well within 5 s, even on a loaded machine.
    const d = await startDaemon(`
[alert:batch]
url = ${receiver.url}/batch
batch_seconds = 5
programs = work*, other:c*
events = PROCESS_STATE_EXITED

[program:workers]
command = ${fixture('crash-loud.sh')} 4
process_name = w%(process_num)d
numprocs = 3
startsecs = 0
autorestart = false

[program:ignored]
command = ${fixture('crash-loud.sh')} 5
startsecs = 0
autorestart = false
`);
    const [message] = await receiver.waitFor(1);
    await d.waitFor('every crash', (all) => all.every((p) => p.statename === 'EXITED'));
    const doc = docs([message!])[0]!;
    assert.deepEqual(doc.programs, ['workers:w0', 'workers:w1', 'workers:w2']);
    assert.deepEqual(
      doc.events.map((e) => e.type),
      ['PROCESS_STATE_EXITED', 'PROCESS_STATE_EXITED', 'PROCESS_STATE_EXITED'],
    );
    assert.match(doc.summary, /3 events about workers:w0, workers:w1, workers:w2/);
    // Sent once: the batch is over and nothing else matched.
    await waitForBus(d, 'ALERT_SENT', 'batch');
    assert.equal(receiver.received.length, 1);
  });

  it('retries a dead receiver, then counts, logs and publishes the loss; tend alert test and list', async () => {
    const port = await deadPort();
    const receiver = await startReceiver();
    const d = await startDaemon(`
[alert:dead]
url = http://127.0.0.1:${port}/nobody
retries = 2

[alert:slack]
url = ${receiver.url}/slack
format = slack
programs = nothing-matches

[program:crash]
command = ${fixture('crash-loud.sh')} 3
startsecs = 0
autorestart = false
`);
    const failed = await waitForBus(d, 'ALERT_FAILED', 'dead');
    assert.equal(failed.attempts, 3);
    assert.equal(failed.events, 1);
    assert.match(failed.error ?? '', /ECONNREFUSED/);
    assert.match(d.output, /alert dead: webhook delivery failed \(.*ECONNREFUSED.*\); attempt 2 of 3 in 1s/);
    assert.match(d.output, /alert dead: webhook delivery failed \(.*\); attempt 3 of 3 in 2s/);
    assert.match(
      d.output,
      /alert dead: could not deliver by webhook after 3 attempts \(.*ECONNREFUSED.*\); lost: \[tend .*\] crash exited unexpectedly/,
    );
    const list = await d.tend(['alert', 'list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const { alerts } = JSON.parse(list.stdout) as {
      alerts: { name: string; target: string; stats: { failed: number; retries: number; sent: number } }[];
    };
    const dead = alerts.find((a) => a.name === 'dead');
    assert.deepEqual([dead!.stats.failed, dead!.stats.retries, dead!.stats.sent], [1, 2, 0]);
    assert.equal(dead!.target, `http://127.0.0.1:${port}/…`, 'no path: it may hold a token');
    const metrics = await d.api('GET', '/metrics');
    assert.equal(metrics.status, 200);
    for (const line of [
      'tend_alert_events_total{alert="dead"} 1',
      'tend_alert_messages_failed_total{alert="dead"} 1',
      'tend_alert_retries_total{alert="dead"} 2',
      'tend_alert_messages_sent_total{alert="slack"} 0',
      'tend_alert_queued_events{alert="dead"} 0',
    ]) {
      assert.ok(metrics.text.split('\n').includes(line), `${line} in\n${metrics.text}`);
    }
    const lint = await run('promtool', ['check', 'metrics'], { input: metrics.text });
    assert.equal(`${lint.code} ${lint.stdout}${lint.stderr}`, '0 ', 'promtool check metrics');

    const test = await d.tend(['alert', 'test', 'slack']);
    assert.equal(test.code, 0, test.stderr);
    assert.match(test.stdout, /^sent a test message by webhook to http:\/\/127\.0\.0\.1:\d+\/…$/m);
    const [slack] = await receiver.waitFor(1);
    const body = JSON.parse(slack!.body) as { text: string };
    assert.match(body.text, /test message from alert slack/);
    const refused = await d.tend(['alert', 'test', 'dead']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /ERROR: \[alert:dead\] could not deliver by webhook: .*ECONNREFUSED/);
    const unknown = await d.tend(['alert', 'test', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no \[alert:nope\] in the config in force \(alerts: dead, slack\)/);
    const usage = await d.tend(['alert', 'test']);
    assert.equal(usage.code, 2);
  });
});

describe('[alert:x] at shutdown', () => {
  it("sends a critical program's FATAL before the daemon exits", async () => {
    const receiver = await startReceiver();
    const d = spawnDaemon(`
[alert:last-words]
url = ${receiver.url}/last
batch_seconds = 60

[program:vital]
command = ${fixture('crash-loud.sh')} 3
startsecs = 1
startretries = 0
critical = true
`);
    // The batch would wait a minute; the daemon ends at once and must send it first.
    assert.equal(await d.exit(), 4);
    assert.equal(receiver.received.length, 1);
    const doc = docs(receiver.received)[0]!;
    assert.deepEqual(
      doc.events.map((e) => `${e.program} ${e.type}`),
      ['vital PROCESS_STATE_FATAL'],
    );
    assert.match(doc.events[0]!.stderr ?? '', /fatal: cannot reach the database/);
  });
});

describe('[alert:x] and reloads', () => {
  it('follows SIGHUP: a new alert takes the next crash, a removed one sends nothing more', async () => {
    const receiver = await startReceiver();
    const program = `
[program:crash]
command = ${fixture('crash-loud.sh')} 3
startsecs = 0
autostart = false
autorestart = false
`;
    const d = await startDaemon(`[alert:before]\nurl = ${receiver.url}/before\n${program}`);
    const names = async (): Promise<string[]> => {
      const r = await d.tend(['alert', 'list', '--json']);
      return (JSON.parse(r.stdout) as { alerts: { name: string }[] }).alerts.map((a) => a.name);
    };
    assert.deepEqual(await names(), ['before']);
    writeFileSync(d.conf, `${header(d.dir)}\n[alert:after]\nurl = ${receiver.url}/after\n${program}`);
    d.signal('SIGHUP');
    await d.waitForOutput(/reloaded .*tend\.conf/);
    assert.deepEqual(await names(), ['after']);
    assert.equal((await d.tend(['start', 'crash'])).code, 0);
    const [message] = await receiver.waitFor(1);
    assert.equal(message!.path, '/after');
    await waitForBus(d, 'ALERT_SENT', 'after');
    assert.equal(receiver.received.length, 1);
  });
});

describe('[alert:x] over https', () => {
  it('posts to an https receiver whose certificate it trusts, and refuses one it does not', async () => {
    const trusted = throwawayCert();
    const stranger = throwawayCert();
    const good = await startReceiver(SECRET, trusted);
    const bad = await startReceiver(SECRET, stranger);
    const d = await startDaemon(
      `
[alert:good]
url = ${good.url}/hook
secret = ${SECRET}

[alert:bad]
url = ${bad.url}/hook
retries = 0
`,
      { env: { NODE_EXTRA_CA_CERTS: trusted.cert } },
    );
    const ok = await d.tend(['alert', 'test', 'good']);
    assert.equal(ok.code, 0, ok.stderr);
    const [post] = await good.waitFor(1);
    assert.equal(post!.signed, true);
    assert.equal((JSON.parse(post!.body) as AlertDoc).test, true);
    const refused = await d.tend(['alert', 'test', 'bad']);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /ERROR: \[alert:bad\] could not deliver by webhook: .*self[- ]signed certificate/,
    );
    assert.equal(bad.received.length, 0);
  });
});

describe('[alert:x] in tend check', () => {
  it('lists each alert without its secrets, and names a bad one with file:line', async () => {
    const dir = tempDir();
    const conf = path.join(dir, 'tend.conf');
    writeFileSync(
      conf,
      `${header(dir)}
[alert:slack]
url = https://hooks.slack.com/services/T0/B0/SECRET-TOKEN
format = slack
programs = web*

[alert:mail]
url = smtp://127.0.0.1:2525
to = ops@example.org
smtp_password = hunter2
smtp_user = tend
events = PROCESS_STATE_FATAL
batch_seconds = 60
`,
    );
    const text = await run(TEND, ['-c', conf, 'check']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /\[alert:slack\] {2}webhook to https:\/\/hooks\.slack\.com\/…\n {2}events {5}PROCESS_STATE_FATAL, PROCESS_STATE_EXITED, PROCESS_HEALTH_UNHEALTHY, PROCESS_FLAP_GUARD\n {2}programs {3}web\*/,
    );
    assert.match(
      text.stdout,
      /\[alert:mail\] {2}mail to smtp:\/\/127\.0\.0\.1:2525 to ops@example\.org\n[^]*batch {6}60s/,
    );
    assert.doesNotMatch(text.stdout, /SECRET-TOKEN|hunter2/);
    const json = JSON.parse((await run(TEND, ['-c', conf, 'check', '--json'])).stdout) as {
      alerts: { name: string; line: number }[];
    };
    assert.deepEqual(
      json.alerts.map((a) => [a.name, a.line]),
      [
        ['slack', 17],
        ['mail', 22],
      ],
    );
    writeFileSync(conf, `${header(dir)}\n[alert:x]\nurl = gopher://x\n`);
    const bad = await run(TEND, ['-c', conf, 'check']);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /tend\.conf:18: \[alert:x\] url = "gopher:\/\/x": an alert goes to http\(s\):\/\/ or smtp\(s\):\/\/ only/,
    );
  });
});

describe('[alert:x] default events', () => {
  it('tells of a failed health check, and of a crash loop with its FATAL in one message', async () => {
    const receiver = await startReceiver();
    const d = await startDaemon(`
[alert:health]
url = ${receiver.url}/health
programs = sick
events = PROCESS_HEALTH_UNHEALTHY

[alert:loop]
url = ${receiver.url}/loop
programs = looping
events = PROCESS_FLAP_GUARD, PROCESS_STATE_FATAL

[program:sick]
command = ${fixture('forever.sh')}
startsecs = 0
healthcheck = exec:/bin/sh -c "echo 'db down' >&2; exit 1"
healthcheck_interval = 0.2
healthcheck_retries = 2

[program:looping]
command = ${fixture('exit-with.sh')} 3
startsecs = 0
restart_limit = 2
restart_window = 60
`);
    const bodies = async (route: string): Promise<AlertDoc[]> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = receiver.received.filter((r) => r.path === route);
        if (found.length > 0) return docs(found);
        if (Date.now() > deadline) throw new Error(`nothing on ${route}:\n${d.output}`);
        await sleep(50);
      }
    };
    const [health] = await bodies('/health');
    const unhealthy = health!.events[0]!;
    assert.equal(unhealthy.type, 'PROCESS_HEALTH_UNHEALTHY');
    assert.equal(unhealthy.program, 'sick');
    assert.match(unhealthy.what, /^unhealthy: exec:.* failed 2 times in a row$/);
    assert.equal(unhealthy.why, 'exit 1: db down');
    const [loop] = await bodies('/loop');
    assert.deepEqual(
      loop!.events.map((e) => e.type),
      ['PROCESS_FLAP_GUARD', 'PROCESS_STATE_FATAL'],
    );
    assert.match(loop!.events[0]!.why ?? '', /restarts within 60s \(restart_limit = 2\)/);
    assert.match(loop!.summary, /2 events about looping/);
  });
});
