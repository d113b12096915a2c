// W12: requests lost during restarts. An HTTP service (the Python one of the zero-downtime tests,
// test/fixtures/programs/socket-http.py, graceful on SIGTERM) answers a steady load (2 loops, one
// request per new connection, 2 ms apart) while it is restarted R times, one instance. Figures:
// requests that failed (refused, reset, timed out), lower is better, requests answered, and the
// longest any request took (with the socket and stop-start, a request waits out the restart).
//   tend rolling      socket = tcp://…, restart_strategy = rolling, ready = notify; tend restart
//   tend socket       the same socket, stop-start: the kernel queues connections while it is down
//   plain             the service listens on its own port; tend restart / supervisorctl restart
//   PM2               `pm2 restart` of the Python service (fork mode, its own port), and
//                     `pm2 reload` of the Node twin (socket-http.mjs) in cluster mode, PM2's
//                     zero-downtime reload (Node only: the cluster primary holds the port)
import { fileURLToPath } from 'node:url';
import { startLoad } from '../lib/load.mjs';
import { waitFor } from '../lib/util.mjs';
import { TEND_SYSTEMS, isTend } from '../drivers/tend.mjs';

const SERVICE = fileURLToPath(new URL('../../test/fixtures/programs/socket-http.py', import.meta.url));
const NODE_SERVICE = fileURLToPath(new URL('../../test/fixtures/programs/socket-http.mjs', import.meta.url));
const PYTHON = '/usr/bin/python3';

const free = async () => {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
};

const program = (v) => ({
  name: `web_${v.key}`,
  argv: v.argv ?? [PYTHON, SERVICE],
  autorestart: true,
  autostart: true,
  extra: v.extra ?? [],
  pm2: v.pm2,
});

const variants = async (system) => {
  const plain = { key: 'plain', port: await free() };
  plain.extra = [`environment=BIND_PORT=${plain.port}`];
  plain.pm2 = { env: { BIND_PORT: String(plain.port) } };
  if (system === 'pm2') {
    const reload = { key: 'reload', port: await free(), argv: [NODE_SERVICE] };
    reload.pm2 = {
      exec_mode: 'cluster',
      instances: 1,
      interpreter: 'node',
      env: { BIND_PORT: String(reload.port) },
    };
    return [reload, plain];
  }
  if (!isTend(system)) return [plain];
  const rolling = { key: 'rolling', port: await free() };
  rolling.extra = [`socket=tcp://127.0.0.1:${rolling.port}`, 'ready=notify', 'restart_strategy=rolling'];
  const socket = { key: 'socket', port: await free() };
  socket.extra = [`socket=tcp://127.0.0.1:${socket.port}`, 'ready=notify'];
  return [rolling, socket, plain];
};

const restart = (driver, name) => {
  if (driver.ctl) return driver.ctl(['restart', name]);
  const pm2Reload = driver.constructor.system === 'pm2' && name === 'web_reload';
  return driver.cli([pm2Reload ? 'reload' : 'restart', name]);
};

// R restarts of one program under load; resolves what the load saw.
const measure = async (driver, v, restarts) => {
  const load = startLoad(v.port);
  await waitFor(() => load.answered() > 20, { timeoutMs: 30_000, what: `load on ${v.key}` });
  for (let i = 0; i < restarts; i++) {
    await restart(driver, `web_${v.key}`);
    const answered = load.answered();
    await waitFor(() => load.answered() > answered + 5, { timeoutMs: 30_000, what: `answers after restart` });
  }
  return load.stop();
};

const TEND = TEND_SYSTEMS;

export const W12 = {
  id: 'W12',
  title: 'requests lost during restarts',
  cases: (sizes) => [{ key: 'W12', label: 'W12', params: { restarts: sizes.w12Restarts } }],
  figures: ({ restarts }) => [
    {
      key: 'lost_rolling',
      label: `failed, ${restarts} rolling restarts (socket)`,
      unit: 'requests',
      better: 'lower',
      only: TEND,
      integrity: true,
    },
    {
      key: 'worst_rolling',
      label: `slowest request, rolling restarts (socket)`,
      unit: 'ms',
      better: 'lower',
      only: TEND,
    },
    {
      key: 'lost_socket',
      label: `failed, ${restarts} stop-start restarts (socket)`,
      unit: 'requests',
      better: 'lower',
      only: TEND,
      integrity: true,
    },
    {
      key: 'worst_socket',
      label: `slowest request, stop-start restarts (socket)`,
      unit: 'ms',
      better: 'lower',
      only: TEND,
    },
    {
      key: 'lost_plain',
      label: `failed, ${restarts} restarts (own port)`,
      unit: 'requests',
      better: 'lower',
      only: [...TEND, 'supervisord', 'pm2'],
    },
    {
      key: 'served_plain',
      label: `answered meanwhile (own port)`,
      unit: 'requests',
      better: 'higher',
      only: [...TEND, 'supervisord', 'pm2'],
    },
  ],
  async run(driver, _ctx, { restarts }) {
    const system = driver.constructor.system;
    const all = await variants(system);
    await driver.start(all.map(program));
    if (system === 'pm2') await driver.startAll();
    await driver.waitAllRunning(all.length, 60_000);
    const out = {};
    for (const v of all) {
      const seen = await measure(driver, v, restarts);
      out[`lost_${v.key}`] = seen.failed;
      // What the failures were (refused, reset…): the figure only counts them.
      if (seen.failed > 0) console.log(`bench: W12 ${system} ${v.key}: ${JSON.stringify(seen.errors)}`);
      if (v.key === 'plain') out.served_plain = seen.ok;
      else out[`worst_${v.key}`] = Math.round(seen.worstMs);
    }
    return out;
  },
  limit: () => ({}),
};
