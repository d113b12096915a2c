import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { run, TEND } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// `tend export` as a user runs it: what goes to stdout, stderr and --out, and the exit codes.

const CONFIG = `[supervisord]

[program:Web_1]
command = /usr/bin/python3 -m http.server 8000
umask = 027
stopsignal = INT
depends_on = db

[program:db]
command = /usr/bin/redis-server --port 6379
ready = tcp:0.0.0.0:6379

[program:worker]
command = /usr/bin/sleep 10%(process_num)d
process_name = worker-%(process_num)d
numprocs = 2
`;

const setup = (text = CONFIG): { dir: string; conf: string } => {
  const dir = tempDir('tend-export-');
  const conf = path.join(dir, 'app.conf');
  writeFileSync(conf, text);
  return { dir, conf };
};

const tend = (args: readonly string[], cwd: string) => run(process.execPath, [TEND, ...args], { cwd });

describe('tend export', () => {
  it('prints systemd units, with a template unit for numprocs', async () => {
    const { dir, conf } = setup();
    const r = await tend(['export', 'systemd', '-c', conf], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /# ---- worker@\.service ----[\s\S]*ExecStart=\/usr\/bin\/sleep 10%i/);
    assert.match(
      r.stdout,
      /# ---- Web_1\.service ----[\s\S]*Requires=db\.service[\s\S]*UMask=0027[\s\S]*KillSignal=SIGINT/,
    );
    assert.match(r.stderr, /note: install the files in \/etc\/systemd\/system/);
  });

  it('maps a name that is not a DNS label, reports it, and warns per program and key', async () => {
    const { dir, conf } = setup();
    const r = await tend(['export', 'kubernetes', '-c', conf, '--image', 'app:1'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /name: web-1\n/);
    assert.match(
      r.stderr,
      /note: \[program:Web_1\] 'Web_1' is not a DNS-1035 label .*: it is 'web-1' in Kubernetes/,
    );
    assert.match(r.stderr, /warning: \[program:Web_1\] umask: Kubernetes has no umask setting/);
    assert.match(r.stdout, /until nc -z -w 2 db 6379/);
  });

  it('writes one file per object to --out, whole, and says which', async () => {
    const { dir, conf } = setup();
    const out = path.join(dir, 'k8s');
    const r = await tend(['export', 'kubernetes', '-c', conf, '--out', out], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(out).sort(), [
      'db-deployment.yaml',
      'db-service.yaml',
      'web-1-deployment.yaml',
      'worker-deployment.yaml',
    ]);
    assert.match(r.stderr, /wrote .*k8s\/db-service\.yaml/);
    assert.match(readFileSync(path.join(out, 'worker-deployment.yaml'), 'utf8'), /replicas: 2/);
  });

  it('an unknown target is exit 2 and names the targets', async () => {
    const { dir, conf } = setup();
    const r = await tend(['export', 'docker-swarm', '-c', conf], dir);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /export: TARGET must be systemd, kubernetes, nomad or compose, got 'docker-swarm'/,
    );
    assert.equal(r.stdout, '');
  });

  it('a config that fails tend check is exit 2 with its file:line, and nothing reaches --out', async () => {
    const { dir, conf } = setup(
      '[supervisord]\n[program:web]\ncommand = /bin/true\nautorestart = sometimes\n',
    );
    const out = path.join(dir, 'units');
    const r = await tend(['export', 'systemd', '-c', conf, '--out', out], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /app\.conf:4: \[program:web\] autorestart = "sometimes"/);
    assert.equal(existsSync(out), false);
  });

  it('refuses --out where a file would replace a directory, before writing any file', async () => {
    const { dir, conf } = setup();
    const out = path.join(dir, 'units');
    mkdirSync(path.join(out, 'db.service'), { recursive: true });
    const r = await tend(['export', 'systemd', '-c', conf, '--out', out], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write the export to .*db\.service exists and is not a file/);
    assert.deepEqual(readdirSync(out), ['db.service']);
  });
});
