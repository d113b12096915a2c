// A steady, modest HTTP load for the zero-downtime workload (W10): `workers` loops, each sending
// one GET at a time on a new connection (no keep-alive: every request is a connect), pausing
// `pauseMs` between requests. Counts answers and failures by kind (ECONNREFUSED, ECONNRESET…),
// and the longest a request took (a connection queued while no instance accepts waits).
import { request } from 'node:http';

const get = (port) =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? null : `HTTP ${res.statusCode}`));
      res.on('error', (error) => resolve(error.code ?? error.message));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => resolve(error.code ?? error.message));
    req.end();
  });

export const startLoad = (port, { workers = 2, pauseMs = 2 } = {}) => {
  let running = true;
  let ok = 0;
  let worstMs = 0;
  const errors = {};
  const loop = async () => {
    while (running) {
      const started = performance.now();
      const error = await get(port);
      worstMs = Math.max(worstMs, performance.now() - started);
      if (error === null) ok += 1;
      else errors[error] = (errors[error] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return {
    answered: () => ok,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { ok, failed: Object.values(errors).reduce((a, b) => a + b, 0), errors, worstMs };
    },
  };
};
