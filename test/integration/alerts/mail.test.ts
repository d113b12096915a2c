import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, startDaemon } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';
import { throwawayCert } from './cert.js';

// [alert:x] mail against a real SMTP server on localhost (Debian's python3-aiosmtpd, driven by
// test/fixtures/programs/smtp-sink.py): a FATAL crash mailed with its stderr, several of them in
// one mail (superlance's fatalmailbatch), STARTTLS with a throwaway certificate and a login, and
// smtp_tls = required refusing a server that offers no STARTTLS.

interface Mail {
  readonly from: string;
  readonly to: string[];
  readonly tls: boolean;
  readonly login: string | null;
  readonly data: string;
}

interface Sink {
  readonly port: number;
  mails(): Mail[];
  waitFor(count: number): Promise<Mail[]>;
}

const startSink = async (extra: readonly string[] = []): Promise<Sink> => {
  const dir = tempDir('tend-smtp-');
  const child = spawn('/usr/bin/python3', [fixture('smtp-sink.py'), dir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => {
    child.kill('SIGTERM');
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 20_000;
  while (!/READY \d+/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`smtp-sink did not start:\n${err}`);
    await sleep(50);
  }
  const mails = (): Mail[] =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Mail);
  return {
    port: Number(/READY (\d+)/.exec(out)?.[1]),
    mails,
    waitFor: async (count) => {
      const until = Date.now() + 30_000;
      while (mails().length < count) {
        if (Date.now() > until) throw new Error(`got ${mails().length} of ${count} mails; sink: ${err}`);
        await sleep(50);
      }
      return mails();
    },
  };
};

/** The decoded body of a text/plain mail (nodemailer uses quoted-printable for long lines). */
const bodyOf = (mail: Mail): string => {
  const [head = '', ...rest] = mail.data.split('\r\n\r\n');
  const body = rest.join('\r\n\r\n').replace(/\r\n/g, '\n');
  if (!/quoted-printable/i.test(head)) return body;
  return Buffer.from(
    body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => `%${hex}`),
    'latin1',
  )
    .toString()
    .replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
};

describe('[alert:x] mail', () => {
  it('mails FATAL crashes with why and the last stderr lines, several in one mail with batch_seconds', async () => {
    const sink = await startSink();
    const d = await startDaemon(`
[alert:pager]
url = smtp://127.0.0.1:${sink.port}
from = tend alerts <tend@example.org>
to = ops@example.org, oncall@example.org
batch_seconds = 5
stderr_lines = 3

[program:db]
command = ${fixture('crash-loud.sh')} 3
process_name = db%(process_num)d
numprocs = 2
startsecs = 1
startretries = 0
`);
    const [mail] = await sink.waitFor(1);
    assert.ok(mail !== undefined);
    assert.equal(mail.from, 'tend@example.org');
    assert.deepEqual(mail.to, ['ops@example.org', 'oncall@example.org']);
    assert.equal(mail.tls, false, 'the server offers no STARTTLS: auto sends in clear');
    assert.match(mail.data, /^Subject: \[tend [^\]]+\] 2 events about db:db0, db:db1\r$/m);
    assert.match(mail.data, /^X-Tend-Alert: pager\r$/m);
    const body = bodyOf(mail);
    assert.match(body, /alert \[alert:pager\]: 2 events/);
    for (const name of ['db0', 'db1']) {
      assert.match(body, new RegExp(`  db:${name}  PROCESS_STATE_FATAL\\n  what: gave up: FATAL`));
    }
    assert.match(
      body,
      / {2}last stderr lines:\n {2}\| stderr line 14\n {2}\| stderr line 15\n {2}\| fatal: cannot reach the database\n/,
    );
    assert.doesNotMatch(body, /stderr line 13/, 'stderr_lines = 3');
    await d.waitForOutput(/alert pager: sent by mail: \[tend .*\] 2 events about db:db0, db:db1/);
    assert.equal(sink.mails().length, 1, 'one mail for the batch');
  });

  it('upgrades with STARTTLS and logs in; smtp_tls = required refuses a server without it', async () => {
    const { cert, key } = throwawayCert();
    const secure = await startSink(['--starttls', cert, key, '--auth', 'alice:s3cret']);
    const plain = await startSink();
    const d = await startDaemon(
      `
[alert:secure]
url = smtp://127.0.0.1:${secure.port}
to = ops@example.org
smtp_user = alice
smtp_password = s3cret
smtp_tls = required

[alert:strict]
url = smtp://127.0.0.1:${plain.port}
to = ops@example.org
smtp_tls = required
retries = 0
`,
      { env: { NODE_EXTRA_CA_CERTS: cert } },
    );
    const ok = await d.tend(['alert', 'test', 'secure']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stdout,
      new RegExp(`sent a test message by mail to smtp://127.0.0.1:${secure.port} to ops@example.org`),
    );
    const mail = (await secure.waitFor(1))[0] as Mail;
    assert.equal(mail.tls, true);
    assert.equal(mail.login, 'alice');
    assert.match(bodyOf(mail), /This is a test message from tend on .*, alert \[alert:secure\]/);

    const refused = await d.tend(['alert', 'test', 'strict']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /ERROR: \[alert:strict\] could not deliver by mail: .*STARTTLS/);
    assert.equal(plain.mails().length, 0, 'nothing sent in clear');
    assert.match(
      d.output,
      /alert strict: could not deliver by mail after 1 attempt \(.*STARTTLS.*\); lost: \[tend .*\] test message/,
    );
  });
});
