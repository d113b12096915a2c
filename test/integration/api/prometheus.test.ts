import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, header, startDaemon } from '../../helpers/daemon.js';
import { freePort } from '../../helpers/supervisord.js';
import { tempDir } from '../../helpers/tmp.js';

// The real consumer: Debian's Prometheus server, started on a free port with its own temp
// storage, scrapes the daemon's inet_http_server with basic_auth, and a PromQL query through
// its HTTP API sees a crash counted as a restart.

const PROMETHEUS = '/usr/bin/prometheus';

interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

const startPrometheus = async (
  dir: string,
  tendPort: number,
): Promise<{ url: string; output: () => string }> => {
  const port = await freePort();
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: tend',
      '    basic_auth:',
      '      username: admin',
      '      password: s3cret',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${tendPort}']`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  });
  return { url: `http://127.0.0.1:${port}`, output: () => output };
};

/** Polls `probe` until it returns a value (not undefined); fails with `what` after 90 s. */
const eventually = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  context: () => string,
): Promise<T> => {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}\n${context()}`);
};

const query = async (url: string, promql: string): Promise<Sample[]> => {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] } };
  assert.equal(body.status, 'success', JSON.stringify(body));
  return body.data.result;
};

const valueOf = async (url: string, promql: string): Promise<string | undefined> => {
  const result = await query(url, promql);
  return result.length === 1 ? result[0]?.value[1] : undefined;
};

describe('a real Prometheus server scraping tend', () => {
  it('scrapes with basic_auth and sees a crash counted as a restart', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const tendPort = await freePort();
    const d = await startDaemon(
      `[program:worker]\ncommand = ${fixture('forever.sh')}\nstartsecs = 0\nautorestart = true\n`,
      {
        dir,
        header: `${header(dir)}\n[inet_http_server]\nport = 127.0.0.1:${tendPort}\nusername = admin\npassword = s3cret\n`,
      },
    );
    const prometheus = await startPrometheus(dir, tendPort);
    const context = (): string => `--- prometheus ---\n${prometheus.output()}\n--- tend ---\n${d.output}`;
    const restarts = 'tend_process_restarts_total{job="tend",name="worker",reason="crash"}';

    // Scraped before the crash: the counter is there, at 0.
    await eventually(
      'the first scrape',
      async () => ((await valueOf(prometheus.url, restarts)) === '0' ? true : undefined),
      context,
    );
    const targets = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; lastError: string }[] };
    };
    assert.deepEqual(
      targets.data.activeTargets.map((t) => [t.health, t.lastError]),
      [['up', '']],
    );

    const { pid } = await d.process('worker');
    process.kill(pid, 'SIGKILL');
    await eventually(
      'the restart to be counted',
      async () => ((await valueOf(prometheus.url, restarts)) === '1' ? true : undefined),
      context,
    );
    assert.equal(
      await valueOf(prometheus.url, 'tend_process_exits_total{job="tend",name="worker",code="-1"}'),
      '1',
    );
    await eventually(
      'the new worker to be RUNNING in Prometheus',
      async () =>
        (await valueOf(prometheus.url, 'tend_process_state{job="tend",name="worker",state="RUNNING"}')) ===
        '1'
          ? true
          : undefined,
      context,
    );
    assert.equal(await valueOf(prometheus.url, 'up{job="tend"}'), '1');
  });
});
