import assert from 'node:assert/strict';
import { checkForElsewhere } from '../../helpers/check-elsewhere.js';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, run, startDaemon, TEND } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// Issue 13: PM2 ecosystem files (the examples of PM2's documentation) and Procfiles of common
// stacks become configs that `tend check` accepts and that a real daemon runs.

const FIXTURES = path.join(ROOT, 'test/fixtures/import');
/** Keys the import writes for work not merged yet; tend check warns about them until then. */
const PENDING_KEYS = ['log_timestamps', 'log_format'];

/** supervisord's own config reader (Debian's supervisor package) on the file: it must read it whole. */
const SUPERVISORD_READS = `
import sys
from supervisor.options import ServerOptions
options = ServerOptions()
options.realize(['-c', sys.argv[1]])
assert options.process_group_configs, 'no programs'
`;

/** A copy of the fixtures outside the repository (whose package.json makes .js files ES modules). */
const workdir = (): string => {
  const dir = tempDir('tend-import-');
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
};

const tend = (args: readonly string[], cwd: string) => run(process.execPath, [TEND, ...args], { cwd });

/** Imports, writes the config beside the input, and runs tend check on it. */
const importAndCheck = async (
  dir: string,
  args: readonly string[],
): Promise<{ conf: string; text: string; stderr: string }> => {
  const r = await tend(['import', ...args], dir);
  assert.equal(r.code, 0, r.stderr);
  const conf = path.join(dir, `${path.basename(args[1] ?? 'x')}.conf`);
  writeFileSync(conf, r.stdout);
  // The stacks' commands (celery, bundle…) are not installed here: everything else must pass.
  const check = await checkForElsewhere(TEND, conf, dir);
  assert.deepEqual(check.errors, [], `${conf}\n${check.output}\n${r.stdout}`);
  const unexpected = check.warnings.filter((w) => !PENDING_KEYS.some((k) => w.includes(`'${k}'`)));
  assert.deepEqual(unexpected, [], r.stdout);
  const supervisord = await run('/usr/bin/python3', ['-c', SUPERVISORD_READS, conf], { cwd: dir });
  assert.equal(supervisord.code, 0, `supervisord cannot read ${conf}:\n${supervisord.stderr}`);
  return { conf, text: r.stdout, stderr: r.stderr };
};

describe('tend import pm2', () => {
  const dir = workdir();
  const pm2 = path.join(dir, 'pm2');
  // PM2 creates no directory for out_file/error_file either: the logs/ of cluster.json exists.
  mkdirSync(path.join(pm2, 'logs'));
  const examples = readdirSync(pm2).filter(
    (f) => /\.(c?js|mjs|json|ya?ml)$/.test(f) && !/^(throws|writes)/.test(f),
  );

  for (const file of examples) {
    it(`${file} becomes a config tend check accepts`, async () => {
      await importAndCheck(pm2, ['pm2', file]);
    });
  }

  it('merges env_production over env with --env production', async () => {
    const { text } = await importAndCheck(pm2, ['pm2', 'environments.config.js', '--env', 'production']);
    assert.match(text, /environment = NODE_ENV="production"/);
  });

  it('maps instances, max_memory_restart, kill_timeout and wait_ready, and reports cluster mode', async () => {
    const { text, stderr } = await importAndCheck(pm2, ['pm2', 'cluster.json']);
    assert.match(text, /numprocs = 4/);
    assert.match(text, /memory_limit = 300MB/);
    assert.match(text, /NODE_APP_INSTANCE="%\(process_num\)d"/);
    assert.match(stderr, /warning: \[program:api\] exec_mode: cluster mode/);
    const graceful = await importAndCheck(pm2, ['pm2', 'graceful.yaml']);
    assert.match(graceful.text, /stopwaitsecs = 3\n/);
    assert.match(graceful.text, /backoff = exponential/);
    assert.match(graceful.text, /; ready = notify/);
    assert.match(graceful.text, /cron_restart = 0 0 \* \* \*/);
    assert.match(graceful.text, /command = python3 /);
  });

  it('an ecosystem file that throws is a clear error, exit 2', async () => {
    const r = await tend(['import', 'pm2', 'throws.config.js'], pm2);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /throws\.config\.js: the ecosystem file failed when run by node:[\s\S]*DATABASE_URL is not set/,
    );
    assert.equal(r.stdout, '');
  });

  it('runs the ecosystem file in a process that may not write files', async () => {
    const r = await tend(['import', 'pm2', 'writes.config.js'], pm2);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /ERR_ACCESS_DENIED|Access to this API has been restricted/);
    assert.equal(existsSync(path.join(pm2, 'written-by-ecosystem.txt')), false);
  });

  it('gives a config a real daemon runs', async () => {
    writeFileSync(path.join(pm2, 'app.js'), 'setInterval(() => {}, 1000);\n');
    const { text } = await importAndCheck(pm2, ['pm2', 'environments.config.js', '--env', 'production']);
    const daemon = await startDaemon(text.replaceAll('tend.sock', 't.sock'), { header: '' });
    await daemon.waitForState('app1', 'RUNNING');
    await daemon.stop();
  });
});

describe('tend import procfile', () => {
  const dir = workdir();
  const procfiles = path.join(dir, 'procfile');

  for (const file of readdirSync(procfiles).filter((f) => f.endsWith('Procfile'))) {
    it(`${file} becomes a config tend check accepts`, async () => {
      await importAndCheck(procfiles, ['procfile', file, '--env', 'app.env']);
    });
  }

  it('gives a config a real daemon runs, with $PORT from the environment and .env values', async () => {
    writeFileSync(
      path.join(procfiles, 'Procfile'),
      'web: node -e "console.log(process.env.GREETING, process.env.PORT); setInterval(() => {}, 1000)"\nworker: sh -c \'echo worker $PORT; exec sleep 600\'\n',
    );
    const { text } = await importAndCheck(procfiles, ['procfile', 'Procfile', '--env', 'app.env']);
    const daemon = await startDaemon(text.replaceAll('tend.sock', 't.sock'), { header: '' });
    await daemon.waitForState('web', 'RUNNING');
    await daemon.waitForState('worker', 'RUNNING');
    assert.match(await daemon.waitForTail('web', /hello world/), /hello world 5000/);
    assert.match(await daemon.waitForTail('worker', /worker/), /worker 5100/);
    await daemon.stop();
  });

  it('an unknown format is exit 2', async () => {
    const r = await tend(['import', 'foreman', 'Procfile'], procfiles);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /import: FORMAT must be pm2 or procfile, got 'foreman'/);
  });
});
