// socket = on a [program:x]: tend listens once and hands the socket to each instance as fd 3 with
// systemd's activation protocol (issue 12). The fixtures refuse to run unless LISTEN_PID is their
// own pid and fd 3 is a listening socket, so an answer proves the protocol.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { fixture, spawnDaemon, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { freePort, get, pidOf, until } from './helpers.js';

/** `tend.conf:N` (a regexp) for the first line of the daemon's config that has `text` after the line with `after`. */
const at = (d: Daemon, text: string, after = '[program:'): string => {
  const lines = readFileSync(d.conf, 'utf8').split('\n');
  const from = lines.findIndex((l) => l.includes(after));
  const line = lines.findIndex((l, i) => i > from && l.includes(text)) + 1;
  return `tend\\.conf:${line}`;
};

const pidOfProcess = async (d: Daemon, name: string): Promise<number> => (await d.process(name)).pid;

for (const spawner of ['native', 'child_process'] as const) {
  describe(`socket activation (TEND_SPAWNER=${spawner})`, () => {
    it('passes fd 3 with LISTEN_FDS=1, LISTEN_PID = its own pid, LISTEN_FDNAMES = the program', async () => {
      const port = await freePort();
      const d = await startDaemon(
        `
[program:web]
command = ${fixture('socket-http.py')}
socket = tcp://127.0.0.1:${port}
ready = notify
environment = VERSION=v1
`,
        { env: { TEND_SPAWNER: spawner } },
      );
      await d.waitForState('web', 'RUNNING');
      const answer = await get(port);
      assert.deepEqual(answer, { ok: true, body: `${await pidOfProcess(d, 'web')} v1` });
      await d.waitForOutput(/./);
      const log = await d.tend(['tail', 'web']);
      assert.match(log.stdout, new RegExp(`serving on fd 3 \\(web\\) as pid ${pidOf(answer)}`));
    });

    it('keeps the socket across restarts: a connection made while stopped is served by the next instance', async () => {
      const port = await freePort();
      const d = await startDaemon(
        `
[program:web]
command = ${fixture('socket-http.py')}
socket = tcp://127.0.0.1:${port}
ready = notify
`,
        { env: { TEND_SPAWNER: spawner } },
      );
      await d.waitForState('web', 'RUNNING');
      const first = await pidOfProcess(d, 'web');
      assert.equal((await d.tend(['stop', 'web'])).code, 0);
      // No instance runs: the kernel completes the handshake into tend's socket's queue.
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write('GET / HTTP/1.0\r\n\r\n');
      let reply = '';
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
      const ended = once(socket, 'end');
      assert.equal((await d.tend(['start', 'web'])).code, 0);
      await ended;
      const second = await pidOfProcess(d, 'web');
      assert.notEqual(second, first);
      assert.match(reply, new RegExp(`^HTTP/1\\.0 200 OK[\\s\\S]*\\r\\n\\r\\n${second} $`));
      assert.equal((await d.tend(['restart', 'web'])).code, 0);
      const third = await get(port);
      assert.ok(third.ok && pidOf(third) !== second && pidOf(third) === (await pidOfProcess(d, 'web')));
    });
  });
}

// What a program sees: the variables and what fd 3 is, with the pid written as PID.
const PROBE = `echo "LISTEN_FDS=$LISTEN_FDS LISTEN_PID=$LISTEN_PID LISTEN_FDNAMES=$LISTEN_FDNAMES pid=$$"; /usr/bin/python3 -c 'import socket; s = socket.socket(fileno=3); print(s.type.name, s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), s.getsockname()[0])'; exec sleep 100000`;

const SOCKET_ACTIVATE = '/usr/bin/systemd-socket-activate';

describe("socket activation against systemd's own activator", () => {
  it('a program sees exactly what systemd-socket-activate gives it', async (t) => {
    if (!existsSync(SOCKET_ACTIVATE)) {
      t.skip(`${SOCKET_ACTIVATE} is not installed (Debian package systemd)`);
      return;
    }
    const normal = (text: string): string => {
      const pid = /pid=(\d+)/.exec(text)?.[1] ?? 'none';
      return text.replaceAll(pid, 'PID').trim();
    };
    const port = await freePort();
    const sd = spawn(SOCKET_ACTIVATE, ['-l', `127.0.0.1:${port}`, '--fdname=web', '/bin/sh', '-c', PROBE], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let sdOut = '';
    sd.stdout.on('data', (c: Buffer) => (sdOut += c.toString()));
    // systemd-socket-activate runs the program at the first connection (once it listens).
    const pokes: Socket[] = [];
    let polls = 0;
    try {
      await until('systemd-socket-activate to run the probe', () => {
        if (polls++ % 5 === 0) pokes.push(connect(port, '127.0.0.1').on('error', () => undefined));
        return sdOut.split('\n').length > 2;
      });
    } finally {
      for (const p of pokes) p.destroy();
      sd.kill();
    }
    const tendPort = await freePort();
    const d = await startDaemon(`
[program:web]
command = /bin/sh -c '${PROBE.replaceAll("'", "'\\''")}'
socket = tcp://127.0.0.1:${tendPort}
`);
    await d.waitForState('web', 'RUNNING');
    const log = await d.tend(['tail', 'web']);
    assert.equal(normal(log.stdout), normal(sdOut));
    assert.match(
      normal(sdOut),
      /^LISTEN_FDS=1 LISTEN_PID=PID LISTEN_FDNAMES=web pid=PID\nSOCK_STREAM 1 127\.0\.0\.1$/,
    );
  });
});

describe('socket activation: programs and addresses', () => {
  it('a Node program listens with {fd: 3}; a unix socket gets socket_mode', async () => {
    const port = await freePort();
    const d = await startDaemon(`
[program:node]
command = ${process.execPath} ${fixture('socket-http.mjs')}
socket = tcp://127.0.0.1:${port}
ready = notify
environment = VERSION=node

[program:py]
command = ${fixture('socket-http.py')}
socket = unix://%(here)s/py.sock
socket_mode = 0660
ready = notify
`);
    await d.waitFor('both RUNNING', (all) => all.every((p) => p.statename === 'RUNNING'));
    assert.deepEqual(await get(port), { ok: true, body: `${await pidOfProcess(d, 'node')} node` });
    const { statSync } = await import('node:fs');
    const st = statSync(`${d.dir}/py.sock`);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o660);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(`${d.dir}/py.sock`);
      let text = '';
      s.on('data', (c: Buffer) => (text += c.toString()));
      s.on('end', () => {
        resolve(text);
      });
      s.on('error', reject);
      s.write('GET / HTTP/1.0\r\n\r\n');
    });
    assert.match(reply, new RegExp(`\\r\\n\\r\\n${await pidOfProcess(d, 'py')} $`));
  });

  it('a port already in use is a config error at the socket line: the daemon does not start (exit 2)', async () => {
    const port = await freePort();
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const d = spawnDaemon(`
[program:web]
command = ${fixture('socket-http.py')}
socket = tcp://127.0.0.1:${port}
`);
      assert.equal(await d.exit(), 2);
      assert.match(
        d.output,
        new RegExp(
          `${at(d, 'socket =')}: \\[program:web\\] socket = "tcp://127\\.0\\.0\\.1:${port}": cannot listen \\(bind: the address is already in use\\)`,
        ),
      );
    } finally {
      taken.close();
    }
  });

  it('bad sockets are config errors with file:line; a rolling program without readiness is warned about', async () => {
    const d = spawnDaemon(`
[program:many]
command = ${fixture('forever.sh')}
process_name = many%(process_num)s
numprocs = 2
socket = tcp://127.0.0.1:70%(process_num)s1
`);
    assert.equal(await d.exit(), 2);
    assert.ok(
      d.output.includes(
        `${at(d, 'socket =').replace('\\', '')}: [program:many] socket = "tcp://127.0.0.1:70%(process_num)s1": every process of the program shares one socket, but numprocs gives tcp://127.0.0.1:7001 and tcp://127.0.0.1:7011`,
      ),
      d.output,
    );
    const port = await freePort();
    const check = spawnDaemon(`
[program:a]
command = ${fixture('forever.sh')}
socket = unix:///nonexistent-dir/a.sock

[program:b]
command = ${fixture('forever.sh')}
socket = tcp://127.0.0.1:${port}
restart_strategy = rolling
ready = http://localhost:${port}/health

[program:c]
command = ${fixture('forever.sh')}
socket = tcp://127.0.0.1:${port}
`);
    assert.equal(await check.exit(), 2);
    assert.match(
      check.output,
      new RegExp(
        `${at(check, 'socket =', '[program:c]')}: \\[program:c\\] socket = "tcp://127\\.0\\.0\\.1:${port}": tcp://127\\.0\\.0\\.1:${port} is already the socket of \\[program:b\\]`,
      ),
    );
    const report = await check.tend(['check']);
    assert.equal(report.code, 2, report.stdout + report.stderr);
    const text = report.stdout + report.stderr;
    const lines = [
      `${at(check, 'socket =', '[program:a]')}: \\[program:a\\] socket = unix:///nonexistent-dir/a\\.sock: cannot create /nonexistent-dir/a\\.sock: ENOENT`,
      `${at(check, 'ready =', '[program:b]')}: \\[program:b\\] ready = http://localhost:\\d+/health probes the shared socket`,
      `${at(check, 'socket =', '[program:c]')}: \\[program:c\\] socket .*is already the socket of \\[program:b\\]`,
    ];
    for (const line of lines) assert.match(text, new RegExp(line));
  });
});
