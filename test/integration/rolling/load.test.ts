// Zero-downtime restarts under load (issue 12): an HTTP service in Python and one in Node, taking
// their socket as fd 3, get a steady stream of requests (each on a new connection) during ten
// rolling restarts, with one instance and with four: not one request may fail, not one connection
// be refused. The same load during plain restarts of the same service listening on its own port
// (as it runs without tend's socket) sees refused connections: the load can see a failure.
// Assertions are counts only; how long anything took is bench/'s business.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { freePort, startLoad, until, type LoadResult } from './helpers.js';

const SERVICES = {
  python: fixture('socket-http.py'),
  node: `${process.execPath} ${fixture('socket-http.mjs')}`,
} as const;

type Language = keyof typeof SERVICES;

const section = (language: Language, instances: number, listen: string): string => `
[program:web]
command = ${SERVICES[language]}
process_name = web_%(process_num)s
numprocs = ${instances}
${listen}
ready = notify
stopwaitsecs = 30
`;

const allRunning = (d: Daemon, count: number): Promise<unknown> =>
  d.waitFor(`${count} RUNNING`, (all) => all.length === count && all.every((p) => p.statename === 'RUNNING'));

/** Runs `restarts` restarts (`tend restart ARGS web`) under load and counts what the load saw. */
const underLoad = async (
  d: Daemon,
  port: number,
  args: readonly string[],
  restarts: number,
): Promise<LoadResult> => {
  const load = startLoad(port);
  await until('the load to be answered', () => load.answered() > 20);
  for (let i = 0; i < restarts; i++) {
    const r = await d.tend(['restart', ...args, 'web']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  }
  // A last stretch of load after the last restart: what the new instances answer counts too.
  const settled = load.answered() + 20;
  await until('the load to go on after the restarts', () => load.answered() > settled);
  return load.stop();
};

for (const language of ['python', 'node'] as const) {
  describe(`zero-downtime restarts of a ${language} service`, () => {
    const cases = [
      { instances: 1, spawner: 'auto' },
      { instances: 4, spawner: 'auto' },
      // The fallback spawner passes fd 3 through stdio and LISTEN_PID through an `sh -c` exec.
      ...(language === 'python' ? [{ instances: 1, spawner: 'child_process' }] : []),
    ];
    for (const { instances, spawner } of cases) {
      it(`10 rolling restarts of ${instances} instance(s) under load (TEND_SPAWNER=${spawner}): no failed request, no refused connection`, async () => {
        const port = await freePort();
        const d = await startDaemon(
          section(language, instances, `socket = tcp://127.0.0.1:${port}\nrestart_strategy = rolling`),
          { env: { TEND_SPAWNER: spawner } },
        );
        await allRunning(d, instances);
        const result = await underLoad(d, port, [], 10);
        assert.deepEqual(result.errors, {}, `failed: ${JSON.stringify(result.errors)}`);
        assert.equal(result.failed, 0);
        assert.ok(result.ok > 0);
        // The load met every generation: the first instances and, per restart, each replacement.
        assert.ok(result.pids.size > 10 * instances, `only ${result.pids.size} pids answered`);
        assert.match(
          d.output,
          new RegExp(`rollout 10 of web succeeded: ${instances} of ${instances} replaced`),
        );
      });
    }

    it('plain restarts of the same service on its own port: the load sees refused connections', async () => {
      const port = await freePort();
      const d = await startDaemon(section(language, 1, `environment = BIND_PORT=${port}`));
      await allRunning(d, 1);
      const load = startLoad(port);
      await until('the load to be answered', () => load.answered() > 20);
      // A stop-start leaves the port closed between the old instance's exit and the new one's listen.
      for (let i = 0; i < 10; i++) {
        const r = await d.tend(['restart', 'web']);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const answered = load.answered();
        await until('an answer from the new instance', () => load.answered() > answered);
      }
      const result = await load.stop();
      assert.ok((result.errors.ECONNREFUSED ?? 0) > 0, `no refusal: ${JSON.stringify(result)}`);
    });
  });
}
