import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { UnixDgramSocket } from 'unix-dgram';
import { fixture, header, startDaemon } from '../../helpers/daemon.js';
import { checkNumberedLines } from '../../helpers/lines.js';
import { until } from '../../helpers/native.js';
import { tempDir } from '../../helpers/tmp.js';

// *_syslog and [supervisord] logfile = syslog against a receiver the test binds (syslog_socket
// points the daemon at it): supervisord 4's messages (`<14>Dec  2 09:39:13 supervisord: web
// hello`, checked against supervisord 4.2.5), with tend's name as the ident; a syslog that is not
// there is reported once and costs nothing else; one that falls behind loses nothing.

const dgram = createRequire(import.meta.url)('unix-dgram') as typeof import('unix-dgram');
const RFC3164 = /^<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d tend: /;

const receiver = (file: string): { messages: string[]; socket: UnixDgramSocket } => {
  const messages: string[] = [];
  const socket = dgram.createSocket('unix_dgram', (buf) => {
    messages.push(buf.toString('latin1'));
  });
  socket.bind(file);
  return { messages, socket };
};

const bodies = (messages: readonly string[]): string[] => messages.map((m) => m.replace(RFC3164, ''));

describe('syslog', () => {
  it('sends every line of stdout and stderr, and the daemon log, as supervisord does', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'log.sock');
    const { messages, socket } = receiver(sock);
    try {
      const d = await startDaemon(
        `
[program:web]
command = /bin/sh -c 'printf "hello\\n"; printf "err line\\n" >&2; printf "split "; sleep 0.3; printf "line\\n\\n"; printf "no newline"'
startsecs = 0
autorestart = false
stdout_syslog = true
stderr_syslog = true
stdout_logfile = %(here)s/web.log
`,
        { dir, header: header(dir).replace(/^logfile = .*$/m, `logfile = syslog\nsyslog_socket = ${sock}`) },
      );
      await d.waitForState('web', 'EXITED');
      await until('the last line', () => messages.some((m) => m.endsWith('web no newline')));
      assert.ok(
        messages.every((m) => RFC3164.test(m)),
        messages.join('\n'),
      );
      const got = bodies(messages);
      const web = got.filter((m) => m.startsWith('web '));
      assert.deepEqual(
        web.filter((m) => m !== 'web err line'),
        ['web hello', 'web split line', 'web ', 'web no newline'],
      );
      assert.ok(web.includes('web err line'));
      // The daemon's own lines, in supervisord's text format, each keeping its newline.
      const spawned = got.find((m) => m.includes("spawned: 'web' with pid "));
      assert.match(
        spawned ?? '',
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO spawned: 'web' with pid \d+\n$/,
      );
      // The file gets the output too, as it always does.
      assert.equal(readFileSync(path.join(dir, 'web.log'), 'utf8'), 'hello\nsplit line\n\nno newline');
    } finally {
      socket.close();
    }
  });

  it('reports a syslog that is not there once, goes on, and says when it works again', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'later.sock');
    const d = await startDaemon(
      `
[program:talker]
command = ${fixture('slow-numbered.sh')} 100000 0.05
startsecs = 0
stdout_syslog = true
stdout_logfile = %(here)s/talker.log
`,
      { dir, header: `${header(dir)}\n[supervisord]\nsyslog_socket = ${sock}\n` },
    );
    await d.waitForOutput(/syslog socket \S+later\.sock: ENOENT; output to syslog is dropped until it works/);
    const file = path.join(dir, 'talker.log');
    await until(
      '20 lines in the file',
      () => existsSync(file) && readFileSync(file, 'utf8').includes('\n20\n'),
    );
    assert.equal(d.output.match(/ENOENT/g)?.length, 1, d.output);
    const { messages, socket } = receiver(sock);
    try {
      await until('messages', () => messages.length >= 3);
      await d.waitForOutput(/syslog socket \S+later\.sock works again \(\d+ messages dropped meanwhile\)/);
      assert.ok(
        bodies(messages).every((m) => /^talker \d+$/.test(m)),
        messages.join('\n'),
      );
    } finally {
      socket.close();
    }
  });

  it('keeps the messages a slow reader cannot take yet, and sends them in order', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'slow.sock');
    const out = path.join(dir, 'received');
    const count = 2000;
    const reader = spawn('/usr/bin/python3', [fixture('late-syslog.py'), sock, '1.5', out, String(count)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await once(reader.stdout, 'data');
      const d = await startDaemon(
        `
[program:burst]
command = ${fixture('numbered.sh')} ${count}
startsecs = 0
stdout_syslog = true
stdout_logfile = NONE
`,
        { dir, header: `${header(dir)}\n[supervisord]\nsyslog_socket = ${sock}\n` },
      );
      const [code] = (await once(reader, 'exit')) as [number | null];
      assert.equal(code, 0);
      // The reader's queue (net.unix.max_dgram_qlen, 10 here) was full: the daemon waited.
      await d.waitForOutput(/syslog socket \S+slow\.sock is not keeping up; its messages wait in memory/);
      const lines = readFileSync(out, 'latin1')
        .split('\n')
        .slice(0, -1)
        .map((m) => m.replace(RFC3164, '').replace(/^burst /, ''));
      assert.deepEqual(checkNumberedLines(`${lines.join('\n')}\n`, count), {
        count,
        lost: 0,
        duplicated: 0,
        outOfOrder: 0,
        garbage: 0,
      });
    } finally {
      reader.kill();
    }
  });
});
