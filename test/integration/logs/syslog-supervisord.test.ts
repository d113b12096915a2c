import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixture, header, startDaemon } from '../../helpers/daemon.js';
import { until } from '../../helpers/native.js';
import { missingSupervisor } from '../../helpers/supervisord.js';
import { tempDir } from '../../helpers/tmp.js';

// *_syslog and logfile = syslog side by side with the real supervisord 4.2.5. supervisord writes
// to /dev/log only, so it runs in a private mount namespace whose /dev/log is a receiver (root and
// unshare(1) needed; without them the test says why and skips); tend writes to the receiver this
// test binds (syslog_socket). The messages must be the same but for the tag (the executable's
// name), the times and the daemon's own wording.

const dgram = createRequire(import.meta.url)('unix-dgram') as typeof import('unix-dgram');
const HEADER = /^<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (supervisord|tend): /;
const MAIN_LOG = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} (.*)\n$/;

const program = `
[program:web]
command = /bin/sh -c 'printf "hello\\n"; sleep 0.2; printf "err line\\n" >&2; sleep 0.2; printf "two\\nlines\\n"; sleep 0.2; printf "last"'
stdout_syslog = true
stderr_syslog = true
stdout_logfile = NONE
stderr_logfile = NONE
autorestart = false
startsecs = 0
`;

const namespaceUnavailable = (): string | null => {
  if (process.getuid?.() !== 0) return 'not root: a private mount namespace for /dev/log needs root';
  const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'true']);
  return probe.status === 0 ? null : `unshare -m fails here: ${probe.stderr.toString().trim()}`;
};

/** What a message says, with the header checked and taken off; the daemon's lines reduced to their text. */
const normalise = (message: string): string => {
  const m = HEADER.exec(message);
  assert.ok(m !== null, `not an RFC 3164 message of user.info: ${JSON.stringify(message)}`);
  const body = message.slice(m[0].length);
  const main = MAIN_LOG.exec(body);
  return main === null ? body : `main: ${(main[1] ?? '').replace(/pid \d+/, 'pid N')}`;
};

const supervisordMessages = (dir: string): string[] => {
  const conf = path.join(dir, 'supervisord.conf');
  const got = path.join(dir, 'received');
  writeFileSync(conf, `[supervisord]\nlogfile = syslog\npidfile = ${dir}/sd.pid\n${program}`);
  writeFileSync(got, '');
  const run = spawnSync('unshare', [
    '-m',
    '--propagation',
    'private',
    fixture('supervisord-syslog.sh'),
    conf,
    '3',
    got,
  ]);
  assert.equal(run.status, 0, run.stderr.toString());
  return readFileSync(got, 'latin1')
    .split('\n')
    .slice(0, -1)
    .map((b64) => Buffer.from(b64, 'base64').toString('latin1'));
};

describe('syslog next to supervisord 4.2.5', () => {
  it('sends the same messages for the same program', async (t) => {
    const why = missingSupervisor() ?? namespaceUnavailable();
    if (why !== null) {
      t.skip(why);
      return;
    }
    const sd = supervisordMessages(tempDir()).map(normalise);

    const dir = tempDir();
    const sock = path.join(dir, 'log.sock');
    const messages: string[] = [];
    const receiver = dgram.createSocket('unix_dgram', (buf) => messages.push(buf.toString('latin1')));
    receiver.bind(sock);
    try {
      const d = await startDaemon(program, {
        dir,
        header: header(dir).replace(/^logfile = .*$/m, `logfile = syslog\nsyslog_socket = ${sock}`),
      });
      await d.waitForState('web', 'EXITED');
      await until('the last line', () => messages.some((m) => m.endsWith(' web last')));
      await until('the exit in the main log', () => messages.some((m) => m.includes('exited: web')));
    } finally {
      receiver.close();
    }
    const tend = messages.map(normalise);

    const programLines = (all: string[]): string[] => all.filter((m) => m.startsWith('web '));
    assert.deepEqual(programLines(tend), programLines(sd));
    assert.deepEqual(programLines(sd), ['web hello', 'web err line', 'web two', 'web lines', 'web last']);
    for (const line of ["main: spawned: 'web' with pid N", 'main: exited: web (exit status 0; expected)']) {
      assert.ok(sd.includes(line), `supervisord: ${line}\n${sd.join('\n')}`);
      assert.ok(tend.includes(line), `tend: ${line}\n${tend.join('\n')}`);
    }
  });
});
