// [alert:x] read at load: defaults, targets, and every bad value named with file:line, section,
// key and value (issue 9's "Bad input").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfig, type AlertConfig } from '../../../src/config/index.js';
import { OPTIONS, sectionLoader } from './helpers.js';

const { dir, write, load, configError } = sectionLoader();
const errorOf = (name: string, body: string): string => configError(name, body).message;

describe('[alert:x] config', () => {
  it('reads a webhook with its defaults', () => {
    const c = load('hook.conf', '[alert:ops]\nurl = https://hooks.example.org/T0/B1?x=1\n');
    assert.equal(c.alerts.length, 1);
    const a = c.alerts[0]!;
    assert.equal(a.name, 'ops');
    assert.deepEqual(a.target, { kind: 'webhook', url: 'https://hooks.example.org/T0/B1?x=1' });
    assert.deepEqual(a.events, [
      'PROCESS_STATE_FATAL',
      'PROCESS_STATE_EXITED',
      'PROCESS_HEALTH_UNHEALTHY',
      'PROCESS_FLAP_GUARD',
    ]);
    assert.deepEqual(a.programs, ['*']);
    assert.deepEqual(
      [a.format, a.secret, a.batchSeconds, a.retries, a.stderrLines, a.mail],
      ['json', null, 0, 5, 10, null],
    );
    assert.deepEqual(a.source, { file: `${dir}/hook.conf`, line: 3 });
  });

  it('reads a mail alert: port defaults, smtps, addresses, tls, and a secret from the environment', () => {
    const c = load(
      'mail.conf',
      `[alert:mail]
url = smtps://mail.example.org
from = Tend <tend@example.org>
to = a@example.org, b@[127.0.0.1]
smtp_user = u
smtp_password = p
events = PROCESS_STATE, PROCESS_READY
programs = web*, db:*
batch_seconds = 1.5

[alert:plain]
url = smtp://[::1]
to = root@localhost
smtp_tls = required

[alert:signed]
url = http://127.0.0.1:9/x
secret = %(ENV_TEND_X)s%(ENV_TEND_X)s-0123456789abcdef
`,
    );
    const [mail, plain, signed] = c.alerts as [AlertConfig, AlertConfig, AlertConfig];
    assert.deepEqual(mail.target, { kind: 'mail', host: 'mail.example.org', port: 465, secure: true });
    assert.deepEqual(mail.mail, {
      from: 'Tend <tend@example.org>',
      to: ['a@example.org', 'b@[127.0.0.1]'],
      user: 'u',
      password: 'p',
      tls: 'auto',
    });
    assert.deepEqual(mail.events, ['PROCESS_STATE', 'PROCESS_READY']);
    assert.deepEqual(mail.programs, ['web*', 'db:*']);
    assert.equal(mail.batchSeconds, 1.5);
    assert.deepEqual(plain.target, { kind: 'mail', host: '::1', port: 25, secure: false });
    assert.equal(plain.mail?.tls, 'required');
    assert.match(plain.mail.from, /^tend@/);
    assert.equal(signed.secret, 'xx-0123456789abcdef');
  });

  it('warns about keys of the other kind of target', () => {
    const c = load('inert.conf', '[alert:m]\nurl = smtp://h\nto = a@b.org\nsecret = 0123456789abcdef\n');
    assert.ok(c.warnings.some((w) => w.key === 'secret' && /no effect on a mail alert/.test(w.message)));
  });

  const bad: [string, string, RegExp][] = [
    [
      'scheme',
      'url = ftp://example.org/',
      /:4: \[alert:x\] url = "ftp:\/\/example.org\/": an alert goes to http\(s\):\/\/ or smtp\(s\):\/\/ only, not ftp:\/\//,
    ],
    ['not a url', 'url = example.org', /url = "example.org": not a valid URL/],
    ['credentials', 'url = smtp://me:pw@host', /credentials do not belong in the url/],
    ['mail path', 'url = smtp://host/x\nto = a@b.org', /a mail server url has no path/],
    [
      'event',
      'url = http://h/\nevents = PROCESS_STATE_FATAL, PROCESS_CRASHED',
      /:5: \[alert:x\] events = ".*": Unknown event type PROCESS_CRASHED/,
    ],
    [
      'alert event',
      'url = http://h/\nevents = ALERT_FAILED',
      /alerts are not sent about alerts \(ALERT_FAILED\)/,
    ],
    [
      'short secret',
      'url = http://h/\nsecret = hunter2',
      /:5: \[alert:x\] secret = "hunter2": secret is too short \(7 characters\) to sign with \(expected at least 16 characters\)/,
    ],
    [
      'address',
      'url = smtp://h\nto = ops.example.org',
      /:5: \[alert:x\] to = "ops.example.org": not an email address: 'ops.example.org'/,
    ],
    ['from', 'url = smtp://h\nto = a@b.org\nfrom = tend@', /from = "tend@": not an email address/],
    ['no to', 'url = smtp://h', /\[alert:x\] to: \[alert:x\] sends mail but has no "to" line/],
    [
      'half login',
      'url = smtp://h\nto = a@b.org\nsmtp_user = u',
      /smtp_password: smtp_user and smtp_password go together/,
    ],
    ['batch', 'url = http://h/\nbatch_seconds = soon', /batch_seconds = "soon": not a duration/],
    ['format', 'url = http://h/\nformat = xml', /format = "xml": not an alert format/],
    ['tls', 'url = smtp://h\nto = a@b.org\nsmtp_tls = maybe', /smtp_tls = "maybe": not an smtp_tls choice/],
    ['glob', 'url = http://h/\nprograms = web, ', /not a list of program or group globs/],
    ['no url', 'events = PROCESS_STATE', /\[alert:x\] url: /],
  ];
  for (const [what, body, expected] of bad) {
    it(`refuses ${what} with file:line, section, key and value`, () => {
      assert.match(errorOf(`${what.replace(/ /g, '-')}.conf`, `[alert:x]\n${body}\n`), expected);
    });
  }

  it('tend check reports every bad alert and reads the good ones', () => {
    const file = write(
      'check.conf',
      '[supervisord]\n\n[alert:a]\nurl = gopher://x\n\n[alert:b]\nurl = http://h/\nsecret = short\n\n[alert:c]\nurl = http://h/\n',
    );
    const { config, errors } = checkConfig(file, { ...OPTIONS, cwd: dir });
    assert.deepEqual(
      errors.map((e) => `${e.location.line} ${e.location.key ?? ''}`),
      ['4 url', '8 secret'],
    );
    assert.deepEqual(
      config.alerts.map((a) => a.name),
      ['c'],
    );
  });
});

describe('[alert:x] programs', () => {
  it('warns about a glob that names no program or group (a typo would silence the alert)', () => {
    const c = load(
      'globs.conf',
      `[program:web]
command = /bin/true

[program:workers]
command = /bin/true
process_name = w%(process_num)d
numprocs = 2

[alert:ops]
url = http://h/
programs = web, workers:w1, wbe, db*
`,
    );
    assert.deepEqual(
      c.warnings.filter((w) => w.section === 'alert:ops').map((w) => [w.line, w.key, w.message]),
      [
        [13, 'programs', 'programs: wbe matches no program or group in this config'],
        [13, 'programs', 'programs: db* matches no program or group in this config'],
      ],
    );
  });
});
