// tend's [program:x] keys for readiness, health, order and crash loops: converters, defaults, and
// depends_on checked across the whole config (unknown names and cycles name file:line).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as x from '../../../src/config/tend-datatypes.js';
import { PyValueError } from '../../../src/config/pystr.js';
import { convert, sectionLoader } from './helpers.js';

const { dir, load, configError } = sectionLoader();

describe('tend keys: converters', () => {
  const readyCases: [string, unknown][] = [
    ['startsecs', { kind: 'startsecs', text: 'startsecs' }],
    [' Notify ', { kind: 'notify', text: 'notify' }],
    ['tcp:127.0.0.1:8080', { kind: 'tcp', host: '127.0.0.1', port: 8080, text: 'tcp:127.0.0.1:8080' }],
    ['tcp:[::1]:99', { kind: 'tcp', host: '::1', port: 99, text: 'tcp:[::1]:99' }],
    ['tcp::80', { kind: 'tcp', host: '127.0.0.1', port: 80, text: 'tcp::80' }],
    ['tcp:5432', { kind: 'tcp', host: '127.0.0.1', port: 5432, text: 'tcp:5432' }],
    [
      'http://localhost:8080/health',
      { kind: 'http', url: 'http://localhost:8080/health', text: 'http://localhost:8080/health' },
    ],
    ['https://example.org', { kind: 'http', url: 'https://example.org/', text: 'https://example.org' }],
    [
      'exec:pg_isready -h "a b"',
      { kind: 'exec', argv: ['pg_isready', '-h', 'a b'], text: 'exec:pg_isready -h "a b"' },
    ],
  ];
  for (const [raw, expected] of readyCases) {
    it(`ready = ${raw}`, () => {
      assert.deepEqual(convert(x.ready, raw), expected);
    });
  }

  for (const bad of ['sometimes', 'tcp:host', 'tcp:h:70000', 'ftp://x', 'exec:', 'http://']) {
    it(`rejects ready = ${bad}`, () => {
      assert.throws(() => convert(x.ready, bad), PyValueError);
    });
  }

  it('healthcheck takes probes only', () => {
    assert.throws(() => convert(x.probe, 'notify'), /not a probe/);
    assert.equal(convert(x.probe, 'tcp:1.2.3.4:5').kind, 'tcp');
  });

  it('expect_status: a code, a list, a range, a class, or a mix', () => {
    assert.deepEqual(convert(x.statusList, '200'), [{ from: 200, to: 200 }]);
    assert.deepEqual(convert(x.statusList, '200, 204'), [
      { from: 200, to: 200 },
      { from: 204, to: 204 },
    ]);
    assert.deepEqual(convert(x.statusList, '200-299,3xx'), [
      { from: 200, to: 299 },
      { from: 300, to: 399 },
    ]);
    for (const bad of ['', '20', '600', '299-200', 'ok', '2xy'])
      assert.throws(() => convert(x.statusList, bad), PyValueError, bad);
  });

  it('expect_header: a name, optionally with the text its value contains', () => {
    assert.deepEqual(convert(x.headerExpectation, 'Content-Type: text/html'), {
      name: 'content-type',
      contains: 'text/html',
    });
    assert.deepEqual(convert(x.headerExpectation, 'X-Ready'), { name: 'x-ready', contains: '' });
    assert.throws(() => convert(x.headerExpectation, 'bad name: x'), PyValueError);
  });

  it('seconds allow decimals; counts do not', () => {
    assert.equal(convert(x.seconds, '0.5'), 0.5);
    assert.equal(convert(x.seconds, '30'), 30);
    for (const bad of ['-1', 'x', '', 'Infinity']) assert.throws(() => convert(x.seconds, bad), PyValueError);
    // A timer holds at most 2^31 - 1 ms; a longer tend timeout is refused, not fired at once.
    assert.equal(convert(x.seconds, String(x.MAX_SECONDS)), x.MAX_SECONDS);
    assert.throws(() => convert(x.seconds, '2073601'), /more than 2073600 seconds \(24 days\)/);
    assert.equal(convert(x.count, '0'), 0);
    assert.throws(() => convert(x.count, '1.5'), PyValueError);
    assert.throws(() => convert(x.positiveCount, '0'), /at least 1/);
  });

  it('durations take a unit (ms, s, m, h, d), everywhere tend takes one', () => {
    const cases: [string, number][] = [
      ['30s', 30],
      ['15m', 900],
      ['2h', 7200],
      ['1d', 86_400],
      ['500ms', 0.5],
      [' 1.5 s ', 1.5],
      ['90', 90],
      ['0', 0],
    ];
    for (const [raw, secs] of cases) assert.equal(convert(x.age, raw), secs, raw);
    assert.equal(convert(x.seconds, '2m'), 120);
    for (const bad of ['1w', 's', '1 d d', '-1s', '1e3'])
      assert.throws(() => convert(x.age, bad), /not a duration/);
    assert.throws(() => convert(x.seconds, '25d'), /more than 2073600 seconds \(24 days\)/);
    assert.equal(convert(x.age, '366d'), 366 * 86_400);
  });

  it('log_format is raw or json', () => {
    assert.equal(convert(x.logFormat, ' JSON '), 'json');
    assert.throws(() => convert(x.logFormat, 'logfmt'), /not a log format: 'logfmt'/);
  });

  it('backoff is linear or exponential; depends_on is a list of names', () => {
    assert.equal(convert(x.backoffKind, 'Exponential'), 'exponential');
    assert.throws(() => convert(x.backoffKind, 'fibonacci'), PyValueError);
    assert.deepEqual(convert(x.nameList, 'a, b ,c'), ['a', 'b', 'c']);
    assert.deepEqual(convert(x.nameList, ''), []);
    assert.throws(() => convert(x.nameList, 'a,,b'), PyValueError);
    assert.throws(() => convert(x.nameList, 'g:a'), PyValueError);
  });
});

describe('tend keys: defaults and resolved values', () => {
  it('without tend keys a program behaves as under supervisord', () => {
    const [web] = load('plain.conf', '[program:web]\ncommand=/bin/true\n').groups[0]!.processes;
    assert.deepEqual(web!.ready, { kind: 'startsecs', text: 'startsecs' });
    assert.equal(web!.readyTimeout, 90);
    assert.equal(web!.watchdogSec, 0);
    assert.equal(web!.healthcheck, null);
    assert.equal(web!.probeTimeoutSecs, 5);
    assert.deepEqual(web!.httpExpect, { status: [{ from: 200, to: 399 }], header: null });
    assert.deepEqual(web!.dependsOn, []);
    assert.deepEqual(web!.backoff, { kind: 'linear', maxSecs: null });
    assert.equal(web!.restartLimit, 0);
    assert.equal(web!.restartWindow, 60);
  });

  it('reads every key; exponential backoff is capped at 60 s unless backoff_max says otherwise', () => {
    const config = load(
      'all.conf',
      `[program:db]
command=/bin/true
ready=notify
watchdog_sec=2.5

[program:web]
command=/bin/true
ready=http://127.0.0.1:8080/ready
ready_timeout=12
healthcheck=tcp:127.0.0.1:8080
healthcheck_interval=1
healthcheck_timeout=0.5
healthcheck_retries=2
healthcheck_start_period=4
healthcheck_expect_status=200,204
healthcheck_expect_header=Content-Type: text/html
depends_on=db
backoff=exponential
restart_limit=5
restart_window=30

[program:worker]
command=/bin/true
backoff=exponential
backoff_max=8
`,
    );
    const byName = new Map(config.groups.flatMap((g) => g.processes).map((p) => [p.name, p]));
    assert.equal(byName.get('db')!.ready.kind, 'notify');
    assert.equal(byName.get('db')!.watchdogSec, 2.5);
    const web = byName.get('web')!;
    assert.deepEqual(web.healthcheck, {
      probe: { kind: 'tcp', host: '127.0.0.1', port: 8080, text: 'tcp:127.0.0.1:8080' },
      intervalSecs: 1,
      timeoutSecs: 0.5,
      retries: 2,
      startPeriodSecs: 4,
    });
    assert.deepEqual(web.httpExpect.header, { name: 'content-type', contains: 'text/html' });
    assert.equal(web.readyTimeout, 12);
    assert.deepEqual(web.dependsOn, ['db']);
    assert.deepEqual(web.backoff, { kind: 'exponential', maxSecs: 60 });
    assert.equal(web.restartLimit, 5);
    assert.equal(web.restartWindow, 30);
    assert.deepEqual(byName.get('worker')!.backoff, { kind: 'exponential', maxSecs: 8 });
  });

  it('a bad value is an error at its line', () => {
    const error = configError('bad.conf', '[program:web]\ncommand=/bin/true\nready=soon\n');
    assert.equal(error.location.line, 5);
    assert.equal(error.location.key, 'ready');
    assert.match(error.message, /ready = "soon": not a readiness check/);
  });

  it('log keys: defaults, values, and errors that name file:line, section, key and value', () => {
    const config = load(
      'logs.conf',
      '[program:web]\ncommand=/bin/true\nlog_timestamps=true\nlog_format=json\nstdout_logfile_maxage=1d\nstderr_logfile_maxage=90m\n\n[program:plain]\ncommand=/bin/true\n',
    );
    const named = (name: string) => config.groups.find((g) => g.name === name)?.processes[0];
    const web = named('web');
    const plain = named('plain');
    assert.deepEqual(
      [web?.logTimestamps, web?.logFormat, web?.stdout.maxage, web?.stderr.maxage],
      [true, 'json', 86_400, 5400],
    );
    assert.deepEqual([plain?.logTimestamps, plain?.logFormat, plain?.stdout.maxage], [false, 'raw', 0]);
    assert.equal(config.supervisord.syslogSocket, '/dev/log');
    const error = configError(
      'badage.conf',
      '[program:web]\ncommand=/bin/true\nstdout_logfile_maxage=a week\n',
    );
    assert.match(
      error.message,
      /badage\.conf:5: \[program:web\] stdout_logfile_maxage = "a week": not a duration/,
    );
  });
});

describe('depends_on across the config', () => {
  it('accepts program and group names, including programs inside a [group:x]', () => {
    const config = load(
      'ok.conf',
      `[group:backend]
programs=api,worker

[program:api]
command=/bin/true
depends_on=db

[program:worker]
command=/bin/true
depends_on=api

[program:db]
command=/bin/true

[program:web]
command=/bin/true
depends_on=backend, db
`,
    );
    assert.equal(config.groups.length, 3);
  });

  it('an unknown name is an error at the depends_on line', () => {
    const error = configError(
      'unknown.conf',
      '[program:a]\ncommand=/bin/true\n\n[program:b]\ncommand=/bin/true\ndepends_on = a, c\n',
    );
    assert.deepEqual(error.location, {
      file: path.join(dir, 'unknown.conf'),
      line: 8,
      section: 'program:b',
      key: 'depends_on',
      value: 'a, c',
      expected: 'names of programs or groups',
    });
    assert.equal(error.reason, "unknown program or group 'c'");
  });

  it('a cycle is an error that shows the cycle, at a depends_on line on it', () => {
    const error = configError(
      'cycle.conf',
      `[program:a]
command=/bin/true
depends_on=c

[program:b]
command=/bin/true
depends_on=a

[program:c]
command=/bin/true
depends_on=b
`,
    );
    assert.equal(error.reason, 'dependency cycle: a → c → b → a');
    assert.equal(error.location.line, 5);
    assert.match(error.message, /cycle\.conf:5: \[program:a\] depends_on = "c": dependency cycle/);
  });

  it('depending on your own group is a cycle', () => {
    const error = configError(
      'self.conf',
      '[group:g]\nprograms=a,b\n\n[program:a]\ncommand=/bin/true\ndepends_on=g\n\n[program:b]\ncommand=/bin/true\n',
    );
    assert.equal(error.reason, 'dependency cycle: a → a');
  });
});

describe('container init keys: exit_on and critical', () => {
  it('exit_on takes FATAL (any case) or nothing; critical defaults to false', () => {
    assert.deepEqual(convert(x.exitOn, ''), []);
    assert.deepEqual(convert(x.exitOn, ' fatal '), ['FATAL']);
    const config = load(
      'init.conf',
      'exit_on = FATAL\n\n[program:db]\ncommand=/bin/true\ncritical = true\n\n[program:web]\ncommand=/bin/true\n',
    );
    assert.deepEqual(config.supervisord.exitOn, ['FATAL']);
    const critical = config.groups.flatMap((g) => g.processes).map((p) => [p.name, p.critical]);
    assert.deepEqual(critical, [
      ['db', true],
      ['web', false],
    ]);
  });

  it('a bad exit_on names the file, line, section, key and value', () => {
    const error = configError('badexit.conf', 'exit_on = EXITED\n');
    assert.deepEqual(error.location, {
      file: path.join(dir, 'badexit.conf'),
      line: 3,
      section: 'supervisord',
      key: 'exit_on',
      value: 'EXITED',
      expected: 'FATAL, or empty for never',
    });
    assert.match(error.message, /exit_on = "EXITED": not a state that can end the daemon: 'EXITED'/);
  });

  it('a bad critical is a boolean error at its line', () => {
    const error = configError('badcrit.conf', '[program:db]\ncommand=/bin/true\ncritical = sometimes\n');
    assert.equal(error.location.line, 5);
    assert.equal(error.location.key, 'critical');
  });
});
