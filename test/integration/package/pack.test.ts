import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, header, ROOT, run } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// tend as a user installs it: `npm pack`, `npm install -g` of the tarball into a fresh prefix,
// then the installed `tend` prints its version and runs a daemon that a client reaches. Offline:
// the tarball is the bundle and needs no dependency (unix-dgram is optional and left out).

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

// npm as `npm test` runs it, without the settings that describe this checkout as the project.
const npm = (args: readonly string[], cwd: string) => {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) {
    if (/^npm_(lifecycle|package)_|^npm_config_(local_prefix|prefix|global_prefix)$/.test(key))
      env[key] = undefined;
  }
  const cli = process.env.npm_execpath;
  return cli === undefined || !cli.endsWith('.js')
    ? run('npm', args, { cwd, env, timeoutMs: 120_000 })
    : run(process.execPath, [cli, ...args], { cwd, env, timeoutMs: 120_000 });
};

describe('the npm package', () => {
  it('installs globally from its tarball and runs: tend --version, a daemon, a client', async () => {
    const dir = tempDir();
    const pack = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    assert.equal(pack.code, 0, pack.stderr);
    const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);
    assert.ok(files.includes('bin/tend') && files.includes('dist/bundle/main.js'), files.join(' '));
    assert.deepEqual(
      files.filter((f) => /^(dist\/src|src|test)\//.test(f)),
      [],
    );

    const prefix = path.join(dir, 'prefix');
    const install = await npm(
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--offline',
        '--omit=optional',
        '--no-audit',
        '--no-fund',
        path.join(dir, packed.filename),
      ],
      dir,
    );
    assert.equal(install.code, 0, install.stderr);
    assert.doesNotMatch(install.stderr, /EBADENGINE/);
    const tend = path.join(prefix, 'bin', 'tend');
    const version = await run(tend, ['--version'], { cwd: dir });
    assert.equal(version.stdout, `${VERSION}\n`, version.stderr);

    const conf = path.join(dir, 'tend.conf');
    writeFileSync(conf, `${header(dir)}\n[program:web]\ncommand = ${fixture('forever.sh')}\nstartsecs = 0\n`);
    const daemon = spawn(tend, ['daemon', '-c', conf], { cwd: dir, stdio: 'ignore' });
    const exited = once(daemon, 'exit');
    let status = await run(tend, ['-c', conf, 'status', 'web'], { cwd: dir });
    for (let i = 0; i < 200 && !/^web +RUNNING/.test(status.stdout); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await run(tend, ['-c', conf, 'status', 'web'], { cwd: dir });
    }
    assert.match(status.stdout, /^web +RUNNING +pid \d+/);
    assert.equal((await run(tend, ['-c', conf, 'shutdown'], { cwd: dir })).stdout, 'Shut down\n');
    assert.deepEqual(await exited, [0, null]);
  });

  it('runs with npx from a checkout', async () => {
    const r = await npm(['exec', '--offline', '--', 'tend', '--version'], ROOT);
    assert.equal(r.stdout, `${VERSION}\n`, r.stderr);
  });
});
