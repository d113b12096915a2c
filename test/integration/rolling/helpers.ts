import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

/** A TCP port nothing listens on right now (bound, read, closed). */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

export type GetResult =
  { readonly ok: true; readonly body: string } | { readonly ok: false; readonly error: string };

/** One GET on a new connection (no keep-alive), as a load generator's request would be. */
export const get = (port: number, timeoutMs = 30_000): Promise<GetResult> =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve(res.statusCode === 200 ? { ok: true, body } : { ok: false, error: `HTTP ${res.statusCode}` });
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        resolve({ ok: false, error: error.code ?? error.message });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, error: error.code ?? error.message });
    });
    req.end();
  });

/** The pid in a fixture's answer ("PID VERSION"). */
export const pidOf = (r: GetResult): number => (r.ok ? Number(r.body.split(' ')[0]) : 0);

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  /** Failures by kind: ECONNREFUSED, ECONNRESET, ETIMEDOUT, HTTP 502… */
  readonly errors: Readonly<Record<string, number>>;
  /** The pids that answered (each instance answers with its own). */
  readonly pids: ReadonlySet<number>;
}

export interface Load {
  /** Stops sending, waits for the requests in flight, and counts. */
  stop(): Promise<LoadResult>;
  /** Requests answered so far (to wait until the load is under way). */
  readonly answered: () => number;
}

/**
 * A steady, modest load: `workers` loops, each sending one request at a time on a new
 * connection (no keep-alive, so every request is a connect), pausing `pauseMs` between requests.
 */
export const startLoad = (port: number, workers = 2, pauseMs = 2): Load => {
  let running = true;
  let ok = 0;
  const errors: Record<string, number> = {};
  const pids = new Set<number>();
  const loop = async (): Promise<void> => {
    while (running) {
      const r = await get(port);
      if (r.ok) {
        ok += 1;
        pids.add(pidOf(r));
      } else errors[r.error] = (errors[r.error] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return {
    answered: () => ok,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      const failed = Object.values(errors).reduce((a, b) => a + b, 0);
      return { ok, failed, errors, pids };
    },
  };
};

/** Resolves once `check` holds, polling every 20 ms; fails after `ms`. */
export const until = async (what: string, check: () => boolean, ms = 30_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
