// ready and healthcheck probes against real servers on ephemeral ports.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { fixture, startDaemon } from '../../helpers/daemon.js';
import { full, waitForInfo } from './helpers.js';

const listen = async (server: Server | ReturnType<typeof createTcpServer>): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return (server.address() as AddressInfo).port;
};

/** A port nothing listens on (yet). */
const freePort = async (): Promise<number> => {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
};

describe('probes with real servers', () => {
  it('ready = tcp: RUNNING once the program listens; healthcheck = http against the same server', async () => {
    const port = await freePort();
    const d = await startDaemon(`
[program:web]
command = /usr/bin/python3 -c 'import time, http.server as h; time.sleep(0.5); h.HTTPServer(("127.0.0.1", ${port}), h.SimpleHTTPRequestHandler).serve_forever()'
directory = %(here)s
ready = tcp:127.0.0.1:${port}
healthcheck = http://127.0.0.1:${port}/
healthcheck_interval = 0.2
healthcheck_expect_header = Content-Type: text/html
`);
    const early = await full(d, 'web');
    if (early.statename === 'STARTING')
      assert.match(early.description, /^(waiting for tcp:127\.0\.0\.1:\d+( \(last: ECONNREFUSED\))?)?$/);
    await d.waitForState('web', 'RUNNING');
    const info = await waitForInfo(d, 'web', 'a healthy check', (i) => i.tend.health === 'healthy');
    assert.ok(info.tend.lastCheck !== null);
    assert.match(info.description, /^pid \d+, uptime \d:\d\d:\d\d, health: healthy$/);
    assert.match(
      d.output,
      new RegExp(
        `success: web entered RUNNING state, process is ready \\(ready = tcp:127\\.0\\.0\\.1:${port}\\)`,
      ),
    );
  });

  it('ready = http waits for an expected status; exec readiness waits for the command to pass', async () => {
    let status = 503;
    const port = await listen(createServer((_req, res) => res.writeHead(status).end()));
    const d = await startDaemon(`
[program:api]
command = ${fixture('forever.sh')}
ready = http://127.0.0.1:${port}/ready
healthcheck_timeout = 1

[program:flag]
command = /bin/sh -c 'sleep 0.5; touch %(here)s/flag; exec sleep 100000'
ready = exec:test -f %(here)s/flag
`);
    await d.waitForState('flag', 'RUNNING');
    await d.waitFor('api to report the 503', (ps) =>
      ps.some((p) => p.name === 'api' && p.description.includes('(last: HTTP 503)')),
    );
    assert.equal((await d.process('api')).statename, 'STARTING');
    status = 204;
    await d.waitForState('api', 'RUNNING');
  });

  it('a program whose health endpoint starts failing is restarted, with the reason shown', async () => {
    let healthy = true;
    const port = await listen(createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end()));
    const d = await startDaemon(`
[program:app]
command = ${fixture('forever.sh')}
startsecs = 0
healthcheck = http://127.0.0.1:${port}/health
healthcheck_interval = 0.2
healthcheck_retries = 2
`);
    const [app] = await d.waitForState('app', 'RUNNING');
    await waitForInfo(d, 'app', 'a healthy check', (i) => i.tend.health === 'healthy');
    healthy = false;
    const firstPid = app!.pid;
    await d.waitFor(
      'a restart',
      (ps) => ps.some((p) => p.name === 'app' && p.statename === 'RUNNING' && p.pid !== firstPid),
      30_000,
    );
    healthy = true;
    const reason = `unhealthy: HTTP 500 (2 failed checks in a row, healthcheck = http://127.0.0.1:${port}/health)`;
    const info = await full(d, 'app');
    assert.equal(info.tend.lastRestart?.reason, reason);
    assert.ok(info.description.includes(`last restart: ${reason}`), info.description);
    assert.ok(d.output.includes(`WARN restarting app: ${reason}`));
    const status = await d.tend(['status', 'app']);
    assert.ok(status.stdout.includes(`last restart: ${reason}`), status.stdout);
  });
});
