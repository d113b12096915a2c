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
