import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isErrorCode } from '../../../src/errors/index.js';
import { pumping, testApi } from '../../helpers/api.js';
import { fuzzParams, restBody as body, restPath as path, restQuery as query } from '../../helpers/fuzz.js';

// Properties of /api/v1 input validation: whatever a client sends (methods, paths, query strings,
// bodies, content types), the answer is a 2xx or a 4xx with the error envelope, never a 5xx, and
// the application keeps serving.

describe('/api/v1 input validation', () => {
  it('answers every request with a 2xx or a 4xx envelope, never a 5xx', async () => {
    const api = testApi();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT'),
        path,
        query,
        body,
        async (method, url, q, payload) => {
          const search = new URLSearchParams(q).toString();
          const res = await pumping(
            api.clock,
            api.app.inject({
              method,
              url: `${url}${search === '' ? '' : `?${search}`}`,
              ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }),
            }),
          );
          assert.ok(
            res.statusCode < 500,
            `${method} ${url}?${search} ${String(payload)} → ${res.statusCode} ${res.body}`,
          );
          if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json') === true) {
            const envelope = res.json<{ error?: { code?: string; message?: string } }>();
            assert.ok(isErrorCode(envelope.error?.code ?? ''), res.body);
            assert.equal(typeof envelope.error?.message, 'string');
          }
        },
      ),
      fuzzParams('JSON API (in-process)', 1000),
    );
    const alive = await api.app.inject({ method: 'GET', url: '/api/v1/processes' });
    assert.equal(alive.statusCode, 200);
  });

  it('refuses unknown body fields and wrong types with VALIDATION (400)', async () => {
    const { app } = testApi();
    for (const [url, payload] of [
      ['/api/v1/processes/web/signal', { signal: 'HUP', extra: 1 }],
      ['/api/v1/processes/web/signal', { signal: { name: 'HUP' } }],
      ['/api/v1/processes/web/signal', {}],
      ['/api/v1/processes/web/wait', { state: 'SLEEPING', timeout: 1 }],
      ['/api/v1/processes/web/wait', { state: 'RUNNING', timeout: -1 }],
      ['/api/v1/processes/web/stdin', { data: { x: 1 } }],
      ['/api/v1/config/update', { groups: [{}] }],
    ] as const) {
      const res = await app.inject({ method: 'POST', url, payload });
      assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(payload)} → ${res.statusCode} ${res.body}`);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'VALIDATION');
    }
  });

  it('GET /api/v1/logs: since must be a duration or a time, bounded, and not with bytes', async () => {
    const { app } = testApi();
    for (const since of ['yesterday', '10 m', 'x'.repeat(41), '-5m', '1e400', '10m;rm']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/logs?names=all&since=${encodeURIComponent(since)}`,
      });
      assert.equal(res.statusCode, 400, `${since}: ${res.body}`);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'VALIDATION');
    }
    const both = await app.inject({ method: 'GET', url: '/api/v1/logs?names=all&since=10m&bytes=10' });
    assert.equal(both.statusCode, 400, both.body);
  });
});
