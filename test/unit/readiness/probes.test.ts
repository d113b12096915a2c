import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import type { HttpExpectation } from '../../../src/config/types.js';
import {
  classifyHttp,
  probeExec,
  probeHttp,
  probeTcp,
  type CommandRunner,
} from '../../../src/readiness/index.js';

const expect = (status: [number, number][], header: HttpExpectation['header'] = null): HttpExpectation => ({
  status: status.map(([from, to]) => ({ from, to })),
  header,
});

const DEFAULT = expect([[200, 399]]);

describe('probe results: HTTP classification', () => {
  const cases: [string, number, Record<string, string>, HttpExpectation, boolean, string][] = [
    ['200 passes the default 200-399', 200, {}, DEFAULT, true, 'HTTP 200'],
    ['302 passes the default (redirects are not followed)', 302, {}, DEFAULT, true, 'HTTP 302'],
    ['404 fails', 404, {}, DEFAULT, false, 'HTTP 404'],
    ['503 fails', 503, {}, DEFAULT, false, 'HTTP 503'],
    [
      'a code from a list',
      204,
      {},
      expect([
        [200, 200],
        [204, 204],
      ]),
      true,
      'HTTP 204',
    ],
    [
      'a code outside the list',
      201,
      {},
      expect([
        [200, 200],
        [204, 204],
      ]),
      false,
      'HTTP 201',
    ],
    ['a range', 299, {}, expect([[200, 299]]), true, 'HTTP 299'],
    [
      'an expected header (value contains, any case)',
      200,
      { 'content-type': 'text/HTML; charset=utf-8' },
      expect([[200, 200]], { name: 'content-type', contains: 'text/html' }),
      true,
      'HTTP 200',
    ],
    [
      'a header with the wrong value',
      200,
      { 'content-type': 'application/json' },
      expect([[200, 200]], { name: 'content-type', contains: 'text/html' }),
      false,
      'HTTP 200 with content-type: application/json',
    ],
    [
      'a missing header',
      200,
      {},
      expect([[200, 200]], { name: 'x-ready', contains: '' }),
      false,
      'HTTP 200 without x-ready',
    ],
    [
      'presence only',
      200,
      { 'x-ready': '' },
      expect([[200, 200]], { name: 'x-ready', contains: '' }),
      true,
      'HTTP 200',
    ],
  ];
  for (const [title, status, headers, exp, ok, detail] of cases) {
    it(title, () => {
      assert.deepEqual(classifyHttp(status, headers, exp), { ok, detail });
    });
  }
});

const listen = async (server: Server | ReturnType<typeof createHttpServer>): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return (server.address() as AddressInfo).port;
};

describe('probes against real servers', () => {
  it('tcp: connects to a listening port, fails on a closed one', async () => {
    const port = await listen(createTcpServer((s) => s.end()));
    assert.deepEqual(await probeTcp('127.0.0.1', port, 2000), {
      ok: true,
      detail: `connected to 127.0.0.1:${port}`,
    });
    const closed = createTcpServer();
    const freePort = await listen(closed);
    closed.close();
    const result = await probeTcp('127.0.0.1', freePort, 2000);
    assert.deepEqual(result, { ok: false, detail: 'ECONNREFUSED' });
  });

  it('http: status and headers decide; a server that never answers times out', async () => {
    let status = 200;
    const port = await listen(
      createHttpServer((req, res) => {
        if (req.url === '/hang') return;
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      }),
    );
    const url = `http://127.0.0.1:${port}/health`;
    assert.equal((await probeHttp(url, DEFAULT, 2000)).ok, true);
    status = 500;
    assert.deepEqual(await probeHttp(url, DEFAULT, 2000), { ok: false, detail: 'HTTP 500' });
    assert.deepEqual(await probeHttp(`http://127.0.0.1:${port}/hang`, DEFAULT, 100), {
      ok: false,
      detail: 'no response within 100ms',
    });
  });

  it('exec: exit 0 passes; the first output line explains a failure', async () => {
    const results = [
      { code: 0, timedOut: false, output: '', error: null },
      { code: 2, timedOut: false, output: 'db not ready\nmore', error: null },
      { code: null, timedOut: true, output: '', error: null },
      { code: null, timedOut: false, output: '', error: 'ENOENT' },
    ];
    const run: CommandRunner = () => Promise.resolve(results.shift()!);
    assert.deepEqual(await probeExec(['check'], run, 1000), { ok: true, detail: 'exit 0' });
    assert.deepEqual(await probeExec(['check'], run, 1000), { ok: false, detail: 'exit 2: db not ready' });
    assert.deepEqual(await probeExec(['check'], run, 1000), { ok: false, detail: 'no exit within 1000ms' });
    assert.deepEqual(await probeExec(['check'], run, 1000), {
      ok: false,
      detail: 'cannot run check: ENOENT',
    });
  });
});
