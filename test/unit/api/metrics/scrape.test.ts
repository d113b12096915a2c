import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAMILY_LIST } from '../../../../src/api/metrics/families.js';
import { CONTENT_TYPE } from '../../../../src/api/metrics/exposition.js';
import { acceptsGzip } from '../../../../src/api/metrics/route.js';
import { gunzipSync } from 'node:zlib';
import { startAll, startAutostart } from '../../../../src/supervisor/index.js';
import { pumping, testApi } from '../../../helpers/api.js';
import { parseExposition, valueOf } from '../../../helpers/prom.js';
import { groupConfig, processConfig } from '../../../helpers/configs.js';

// GET /metrics in-process over fake children: what a scrape holds against the families table,
// and what the bus's events do to it.

const scrape = async (api: ReturnType<typeof testApi>) => {
  const res = await api.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], CONTENT_TYPE);
  return parseExposition(res.body);
};

describe('GET /metrics', () => {
  it('writes every family of the table once, in order, each sample with exactly its labels', async () => {
    const api = testApi();
    await pumping(api.clock, startAll(api.sup));
    const families = await scrape(api);
    assert.deepEqual(
      families.map((f) => f.name),
      FAMILY_LIST.map((f) => f.name),
    );
    for (const [i, family] of families.entries()) {
      const declared = FAMILY_LIST[i];
      assert.ok(declared !== undefined);
      assert.equal(family.type, declared.type, family.name);
      assert.equal(family.help, declared.help, family.name);
      assert.equal(family.name.endsWith('_total'), declared.type === 'counter', family.name);
      for (const sample of family.samples) {
        assert.deepEqual(
          sample.labels.map(([name]) => name),
          declared.labels,
          `${family.name}: ${JSON.stringify(sample.labels)}`,
        );
      }
    }
  });

  it('gives each process one state series per state, 1 for the current one, and up/ready to match', async () => {
    const api = testApi();
    startAutostart(api.sup);
    api.clock.advance(1000);
    const families = await scrape(api);
    const states = families.find((f) => f.name === 'tend_process_state')?.samples ?? [];
    assert.equal(states.length, 4 * 8);
    const current = states.filter((s) => s.value === 1).map((s) => s.labels.map(([, v]) => v).join('/'));
    assert.deepEqual(current.sort(), [
      'idle/idle/STOPPED',
      'pool/p1/RUNNING',
      'pool/p2/RUNNING',
      'web/web/RUNNING',
    ]);
    assert.equal(valueOf(families, 'tend_process_up', { name: 'idle' }), 0);
    assert.equal(valueOf(families, 'tend_process_up', { name: 'web' }), 1);
    assert.equal(valueOf(families, 'tend_process_ready', { name: 'p1' }), 1);
    assert.equal(valueOf(families, 'tend_process_start_time_seconds', { name: 'idle' }), 0);
    assert.ok((valueOf(families, 'tend_process_start_time_seconds', { name: 'web' }) ?? 0) > 0);
  });

  it('shows memory_limit and the next cron_restart of the programs that have them', async () => {
    const api = testApi([
      groupConfig('web', [
        processConfig({
          name: 'web',
          memoryLimit: 512 * 1024 * 1024,
          cronRestart: { expression: '0 3 * * *', timezone: 'UTC' },
        }),
      ]),
      groupConfig('plain', [processConfig({ name: 'plain' })]),
    ]);
    const families = await scrape(api);
    assert.equal(valueOf(families, 'tend_process_memory_limit_bytes', { name: 'web' }), 512 * 1024 * 1024);
    assert.equal(valueOf(families, 'tend_process_memory_limit_bytes', { name: 'plain' }), undefined);
    const next = valueOf(families, 'tend_process_next_cron_restart_timestamp_seconds', { name: 'web' }) ?? 0;
    assert.equal(new Date(next * 1000).toISOString().slice(11), '03:00:00.000Z');
    assert.ok(next * 1000 > api.clock.now() && next * 1000 <= api.clock.now() + 86_400_000);
  });

  it('counts a crash as an exit by its status and a restart by reason crash, from the bus', async () => {
    const api = testApi([
      groupConfig('web', [processConfig({ name: 'web', startsecs: 0, autorestart: true })]),
    ]);
    await pumping(api.clock, startAll(api.sup));
    const before = await scrape(api);
    assert.equal(valueOf(before, 'tend_process_restarts_total', { name: 'web', reason: 'crash' }), 0);
    assert.equal(valueOf(before, 'tend_process_exits_total', { name: 'web' }), undefined);
    api.spawner.last.exit(3);
    api.clock.advance(5000);
    api.spawner.last.exit(3);
    api.clock.advance(5000);
    const after = await scrape(api);
    assert.equal(valueOf(after, 'tend_process_restarts_total', { name: 'web', reason: 'crash' }), 2);
    assert.equal(valueOf(after, 'tend_process_restarts_total', { name: 'web', reason: 'operator' }), 0);
    assert.equal(valueOf(after, 'tend_process_exits_total', { name: 'web', code: '3' }), 2);
    assert.equal(valueOf(after, 'tend_events_total', { type: 'PROCESS_RESTART' }), 2);
  });

  it('counts failed starts (BACKOFF)', async () => {
    const api = testApi([
      groupConfig('web', [processConfig({ name: 'web', startsecs: 5, startretries: 5 })]),
    ]);
    void startAll(api.sup, false);
    api.spawner.last.exit(1);
    const families = await scrape(api);
    assert.equal(valueOf(families, 'tend_process_start_failures_total', { name: 'web' }), 1);
    assert.equal(valueOf(families, 'tend_process_state', { name: 'web', state: 'BACKOFF' }), 1);
  });

  it('answers gzip to a client that accepts it (as Prometheus does), the same text inside', async () => {
    const api = testApi();
    await pumping(api.clock, startAll(api.sup));
    const plain = await api.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(plain.headers['content-encoding'], undefined);
    const zipped = await api.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    assert.equal(zipped.statusCode, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    const text = gunzipSync(zipped.rawPayload).toString();
    const names = (t: string) => parseExposition(t).map((f) => f.name);
    assert.deepEqual(names(text), names(plain.body));
  });

  it('reads Accept-Encoding as HTTP says: gzip named, not refused with q=0', () => {
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip('GZIP'), true);
    assert.equal(acceptsGzip('deflate, gzip;q=0.5'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('gzip; q=0.0, br'), false);
    assert.equal(acceptsGzip('x-gzip'), true);
    assert.equal(acceptsGzip('gzipped'), false);
  });
});
