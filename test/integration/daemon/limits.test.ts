import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEND, header, run, spawnDaemon, startDaemon, type Daemon } from '../../helpers/daemon.js';
import type { ProcessInfo } from '../../../src/supervisor/index.js';
import { tempDir } from '../../helpers/tmp.js';

// [supervisord] minfds / minprocs against the real limits (issue 11), and a daemon that runs out
// of file descriptors with 40 programs (issue 15). prlimit and setpriv are util-linux; without
// CAP_SYS_RESOURCE (dropped with setpriv, or absent in a container) a hard limit cannot be raised.
const noRaise = ['setpriv', '--bounding-set=-sys_resource', 'prlimit'];

const sleepers = (n: number): string =>
  Array.from({ length: n }, (_, i) => `[program:p${i}]\ncommand = sleep 100000\nstartsecs = 0\n`).join('\n');

const limitsOf = (pid: number, row: string): string =>
  new RegExp(`^${row}\\s+(\\S+\\s+\\S+)`, 'm').exec(readFileSync(`/proc/${pid}/limits`, 'latin1'))?.[1] ?? '';

describe('minfds and minprocs (issue 11)', () => {
  it("refuses to start with supervisord's message when the hard RLIMIT_NOFILE is below minfds", async () => {
    const d = spawnDaemon(sleepers(2), { wrapper: [...noRaise, '--nofile=64:64'] });
    const code = await d.exit();
    assert.equal(code, 2, d.output);
    assert.match(
      d.output,
      /Error: The minimum number of file descriptors required to run this process is 1024 as per the "minfds" command-line argument or config file setting\. The current environment will only allow you to open 64 file descriptors\./,
    );
    assert.ok(!existsSync(`${d.dir}/tend.pid`), 'no pid file is left');
    assert.ok(!existsSync(`${d.dir}/t.sock`), 'no socket is left');
  });

  it('refuses to start when the hard RLIMIT_NPROC is below minprocs', async () => {
    const d = spawnDaemon(sleepers(1), { wrapper: [...noRaise, '--nproc=100:150'] });
    assert.equal(await d.exit(), 2, d.output);
    assert.match(
      d.output,
      /The minimum number of available processes required to run this program is 200 as per the "minprocs" .* will only allow you to open 150 processes\./,
    );
  });

  it('raises a soft limit below the minimum up to it, as supervisord does', async () => {
    const d = await startDaemon(sleepers(1), { wrapper: ['prlimit', '--nproc=100:300'] });
    await d.waitForOutput(/Increased RLIMIT_NPROC limit to 200/);
    assert.equal(limitsOf(d.pid, 'Max processes').replace(/\s+/, ' '), '200 300');
  });

  it('tend check says what the daemon would do with these limits', async () => {
    const dir = tempDir();
    const conf = `${dir}/tend.conf`;
    writeFileSync(conf, `${header(dir)}\n${sleepers(1)}`);
    const low = await run('prlimit', ['--nofile=64:64', TEND, 'check', '-c', conf]);
    assert.equal(low.code, 0, 'the config itself is valid');
    assert.match(
      low.stderr,
      /warning: minfds = 1024, RLIMIT_NOFILE here is 64 \(hard 64\): .*refuses to start/,
    );
    const soft = await run('prlimit', ['--nproc=100:300', TEND, 'check', '-c', conf]);
    assert.match(
      soft.stdout,
      /limits: minprocs = 200, RLIMIT_NPROC here is 100 \(hard 300\): tend daemon raises the soft limit to 200/,
    );
  });
});

const settle = async (d: Daemon): Promise<ProcessInfo[]> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const infos = await d.info();
      if (infos.every((p) => p.statename === 'RUNNING' || p.statename === 'FATAL')) return infos;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`programs did not settle:\n${d.output}`);
    await sleep(100);
  }
};

describe('running out of file descriptors (issue 15)', () => {
  it('64 descriptors for 40 programs: spawn errors are per program; the daemon answers and stops cleanly', async () => {
    const dir = tempDir();
    const d = await startDaemon(sleepers(40), {
      dir,
      wrapper: ['prlimit', '--nofile=64:64'],
      header: header(dir).replace('[supervisord]\n', '[supervisord]\nminfds = 64\n'),
    });
    // Each program ends RUNNING or, after its start retries, FATAL: none is left in between.
    // While spawns are still failing, a connection can find no descriptor free for a moment.
    const settled = await settle(d);
    const fatal = settled.filter((p) => p.statename === 'FATAL');
    assert.ok(fatal.length > 0 && fatal.length < 40, `${fatal.length} of 40 could not be spawned`);
    for (const p of fatal) assert.match(p.spawnerr, /too many open files/);
    const status = await d.tend(['status']);
    assert.match(status.stdout, /RUNNING/, 'the control socket still answers');
    assert.equal(await d.stop(), 0);
    assert.ok(!existsSync(`${dir}/tend.pid`), 'the pid file is removed');
  });
});
