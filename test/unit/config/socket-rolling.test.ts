// socket, restart_strategy and rolling_max_surge on a [program:x] (issue 12): parsing, the extra
// instances a rolling program gets, and the errors and warnings that name file:line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Config } from '../../../src/config/index.js';
import { probesOwnSocket } from '../../../src/config/rolling.js';
import type { ListenSocketConfig } from '../../../src/config/types.js';
import { sectionLoader } from './helpers.js';

const { dir, load, configError } = sectionLoader();

const first = (c: Config) => {
  const p = c.groups[0]?.processes[0];
  assert.ok(p !== undefined);
  return p;
};

describe('socket on a [program:x]', () => {
  it('reads tcp and unix addresses with their options', () => {
    const tcp = first(
      load(
        'a.conf',
        '[program:web]\ncommand = /bin/true\nsocket = tcp://LocalHost:8080\nsocket_backlog = 64\n',
      ),
    );
    assert.deepEqual(tcp.socket, {
      url: 'tcp://localhost:8080',
      kind: 'tcp',
      address: 'localhost',
      port: 8080,
      backlog: 64,
      mode: 0o700,
      owner: null,
    });
    const any = first(load('b.conf', '[program:web]\ncommand = /bin/true\nsocket = tcp://*:80\n'));
    assert.equal(any.socket?.address, '*');
    const v6 = first(load('c.conf', '[program:web]\ncommand = /bin/true\nsocket = tcp://[::1]:81\n'));
    assert.equal(v6.socket?.address, '::1');
    const unix = first(
      load(
        'd.conf',
        '[program:web]\ncommand = /bin/true\nsocket = unix://%(here)s/web.sock\nsocket_mode = 0660\n',
      ),
    );
    assert.deepEqual(
      { url: unix.socket?.url, kind: unix.socket?.kind, mode: unix.socket?.mode },
      { url: `unix://${dir}/web.sock`, kind: 'unix', mode: 0o660 },
    );
  });

  it('is absent by default, and on listeners and fcgi programs', () => {
    assert.equal(first(load('e.conf', '[program:web]\ncommand = /bin/true\n')).socket, null);
    const fcgi = first(
      load('f.conf', '[fcgi-program:f]\ncommand = /bin/true\nsocket = tcp://127.0.0.1:9000\n'),
    );
    assert.equal(fcgi.socket, null);
    assert.equal(fcgi.fcgi?.socket, 'tcp://127.0.0.1:9000');
  });

  const bad: [string, string, RegExp][] = [
    ['ftp://x:1', 'socket', /not a socket address/],
    ['tcp://127.0.0.1', 'socket', /not a socket address/],
    ['tcp://127.0.0.1:70000', 'socket', /port 70000 is out of range/],
    ['unix://relative.sock', 'socket', /is not absolute/],
    [`unix:///${'x'.repeat(120)}`, 'socket', /longer than 107 bytes/],
  ];
  for (const [value, key, reason] of bad) {
    it(`socket = ${value.slice(0, 30)} is a config error at its line`, () => {
      const e = configError('g.conf', `[program:web]\ncommand = /bin/true\nsocket = ${value}\n`);
      assert.equal(e.location.line, 5);
      assert.equal(e.location.key, key);
      assert.match(e.message, reason);
    });
  }

  it('socket_mode with a tcp socket, a socket per process, a socket twice, a listener socket', () => {
    let e = configError(
      'h.conf',
      '[program:web]\ncommand = /bin/true\nsocket = tcp://127.0.0.1:1\nsocket_mode = 0600\n',
    );
    assert.match(e.message, /socket_owner and socket_mode apply to a unix socket only/);
    e = configError(
      'i.conf',
      '[program:web]\ncommand = /bin/true\nprocess_name = w%(process_num)s\nnumprocs = 2\nsocket = tcp://127.0.0.1:80%(process_num)s1\n',
    );
    assert.equal(e.location.line, 7);
    assert.match(
      e.message,
      /every process of the program shares one socket, but numprocs gives tcp:\/\/127\.0\.0\.1:8001 and tcp:\/\/127\.0\.0\.1:8011/,
    );
    e = configError(
      'j.conf',
      '[program:a]\ncommand = /bin/true\nsocket = tcp://127.0.0.1:90\n\n[program:b]\ncommand = /bin/true\nsocket = tcp://127.0.0.1:90\n',
    );
    assert.equal(e.location.line, 9);
    assert.match(
      e.message,
      /\[program:b\] socket = "tcp:\/\/127\.0\.0\.1:90": tcp:\/\/127\.0\.0\.1:90 is already the socket of \[program:a\]/,
    );
    e = configError(
      'k.conf',
      '[eventlistener:l]\ncommand = /bin/true\nevents = TICK_5\nsocket = tcp://127.0.0.1:91\n',
    );
    assert.match(e.message, /socket applies to \[program:x\] only/);
  });
});

describe('restart_strategy = rolling', () => {
  it('defaults to stop-start with no extra instances', () => {
    const p = first(load('l.conf', '[program:web]\ncommand = /bin/true\n'));
    assert.deepEqual([p.restartStrategy, p.rollingMaxSurge, p.surge], ['stop-start', 1, []]);
  });

  it('gives a rolling program its extra instances, numbered after its own', () => {
    const c = load(
      'm.conf',
      '[program:web]\ncommand = /bin/sh -c "echo %(process_num)s"\nprocess_name = web_%(process_num)s\nnumprocs = 2\nnumprocs_start = 1\nrestart_strategy = rolling\nrolling_max_surge = 2\nready = notify\nsocket = tcp://127.0.0.1:92\nenvironment = HEALTH_PORT=90%(process_num)s\n',
    );
    const p = first(c);
    assert.deepEqual(
      p.surge.map((s) => [s.name, s.processNum, s.command, s.environment.HEALTH_PORT, s.surge.length]),
      [
        ['web-surge', 3, '/bin/sh -c "echo 3"', '903', 0],
        ['web-surge2', 4, '/bin/sh -c "echo 4"', '904', 0],
      ],
    );
    assert.deepEqual(c.warnings, []);
  });

  it('warns without a ready signal, when ready probes the shared socket, with one process and no socket', () => {
    const c = load(
      'n.conf',
      '[program:a]\ncommand = /bin/true\nrestart_strategy = rolling\n\n[program:b]\ncommand = /bin/true\nsocket = tcp://0.0.0.0:93\nready = http://127.0.0.1:93/health\nrestart_strategy = rolling\n',
    );
    const texts = c.warnings.map((w) => `${w.section}:${w.line}: ${w.message}`);
    assert.equal(texts.length, 3, texts.join('\n'));
    assert.match(
      texts[0] ?? '',
      /^program:a:5: restart_strategy = rolling without a ready signal: a new instance counts as ready after startsecs \(1 s\)/,
    );
    assert.match(texts[1] ?? '', /^program:a:5: restart_strategy = rolling with one process and no socket/);
    assert.match(
      texts[2] ?? '',
      /^program:b:10: ready = http:\/\/127\.0\.0\.1:93\/health probes the shared socket/,
    );
  });

  it('rolling_max_surge = 0 needs more than one process; a bad strategy is an error', () => {
    let e = configError(
      'o.conf',
      '[program:a]\ncommand = /bin/true\nrestart_strategy = rolling\nrolling_max_surge = 0\nready = notify\nsocket = tcp://127.0.0.1:94\n',
    );
    assert.equal(e.location.line, 6);
    assert.match(e.message, /a rolling restart of one process needs rolling_max_surge of at least 1/);
    e = configError(
      'r.conf',
      '[eventlistener:l]\ncommand = /bin/true\nevents = TICK_5\nrestart_strategy = rolling\n',
    );
    assert.equal(e.location.line, 6);
    assert.match(e.message, /restart_strategy = rolling applies to \[program:x\] only/);
    e = configError('p.conf', '[program:a]\ncommand = /bin/true\nrestart_strategy = blue-green\n');
    assert.match(e.message, /not a restart strategy: 'blue-green' \(expected stop-start or rolling\)/);
    const ok = load(
      'q.conf',
      '[program:a]\ncommand = /bin/true\nprocess_name = a%(process_num)s\nnumprocs = 2\nrestart_strategy = rolling\nrolling_max_surge = 0\nready = notify\n',
    );
    assert.deepEqual(first(ok).surge, []);
  });

  it('knows which probes reach the shared socket', () => {
    const socket = (address: string, port = 80): ListenSocketConfig => ({
      url: '',
      kind: 'tcp',
      address,
      port,
      backlog: null,
      mode: 0o700,
      owner: null,
    });
    const http = (url: string) => ({ kind: 'http' as const, url, text: url });
    const tcp = (host: string, port: number) => ({ kind: 'tcp' as const, host, port, text: '' });
    assert.ok(probesOwnSocket(http('http://localhost/'), socket('*')));
    assert.ok(probesOwnSocket(tcp('127.0.0.1', 80), socket('0.0.0.0')));
    assert.ok(probesOwnSocket(tcp('10.0.0.1', 80), socket('10.0.0.1')));
    assert.ok(!probesOwnSocket(tcp('127.0.0.1', 9001), socket('*')));
    assert.ok(!probesOwnSocket(http('https://127.0.0.1/'), socket('*')));
    assert.ok(!probesOwnSocket({ kind: 'notify', text: 'notify' }, socket('*')));
    assert.ok(!probesOwnSocket(tcp('127.0.0.1', 80), null));
  });
});
