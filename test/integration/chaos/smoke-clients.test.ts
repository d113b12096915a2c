import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chaosSmoke } from '../../helpers/chaos.js';
import { ROOT, run } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// npm run chaos at its smoke sizes (test/helpers/chaos.ts): hostile clients; and npm run soak
// for a few seconds with a few programs, so its sampling and report cannot rot.
describe('chaos smoke: hostile clients, and the soak', () => {
  it('fuzzing, slowloris, idle connections, stalled followers, connection churn', async () => {
    await chaosSmoke([
      'fuzz-decoders',
      'fuzz-xmlrpc-live',
      'fuzz-json-sse-live',
      'slowloris',
      'idle-connections',
      'stalled-followers',
    ]);
    await chaosSmoke(['connection-churn'], 'tend,supervisord');
  });

  it('the soak reports every figure and passes its bounds', async () => {
    const json = path.join(tempDir(), 'soak.json');
    const args = [
      'chaos/soak.mjs',
      '--seconds',
      '4',
      '--programs',
      '10',
      '--pollers',
      '4',
      '--loggers',
      '1',
      '--crashers',
      '1',
      '--json',
      json,
      '--smoke',
    ];
    const result = await run(process.execPath, args, { cwd: ROOT, timeoutMs: 120_000 });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const [r] = JSON.parse(readFileSync(json, 'utf8')) as {
      pass: boolean;
      rss: Record<string, number>;
      lagP99: Record<string, number>;
      restartP99: { count: number };
      lostState: number;
    }[];
    assert.ok(r !== undefined && r.pass, result.stdout);
    for (const v of [...Object.values(r.rss), ...Object.values(r.lagP99)])
      assert.ok(Number.isFinite(v), result.stdout);
    assert.ok(r.restartP99.count > 0, `the crash-looper's restarts were measured: ${result.stdout}`);
    assert.equal(r.lostState, 0);
  });
});
