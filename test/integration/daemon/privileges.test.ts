import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, run, startDaemon } from '../../helpers/daemon.js';

// user= drops privileges in the child, including the user's supplementary groups (libuv's own
// setuid clears them; tend goes through `setpriv --init-groups`). Needs root to create a user.
const USER = 'tendtest';
const GROUP = 'tendtestgrp';

const idOf = async (args: string[]): Promise<string> => (await run('id', args)).stdout.trim();

// The checkout may sit in a folder other users cannot enter (a 0700 mkdtemp, root's home): the
// dropped user must run a copy of the fixture from a folder it can reach. Returns the folder and
// the copy's path, or null when even the temp dir is closed to that user.
const reachableCopy = async (name: string, uid: string): Promise<{ dir: string; file: string } | null> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tend-priv-'));
  chmodSync(dir, 0o755);
  const file = path.join(dir, name);
  copyFileSync(fixture(name), file);
  chmodSync(file, 0o755);
  const probe = await run('setpriv', [
    `--reuid=${uid}`,
    '--regid=65534',
    '--clear-groups',
    'test',
    '-x',
    file,
  ]);
  if (probe.code === 0) return { dir, file };
  rmSync(dir, { recursive: true, force: true });
  return null;
};

describe('privilege drop', () => {
  // The native spawner calls setgroups itself; child_process goes through setpriv --init-groups.
  for (const spawner of ['auto', 'child_process']) {
    it(`runs a program as user= with that user’s supplementary groups (TEND_SPAWNER=${spawner})`, async (t) => {
      if (process.getuid?.() !== 0) {
        t.skip('needs root to create a test user and to switch users');
        return;
      }
      const created = await run('sh', [
        '-c',
        `getent group ${GROUP} >/dev/null || groupadd ${GROUP}; id ${USER} >/dev/null 2>&1 || useradd -M -N -g nogroup -G ${GROUP} -s /bin/false ${USER}`,
      ]);
      if (created.code !== 0) {
        t.skip(`could not create a test user: ${created.stderr.trim()}`);
        return;
      }
      const uid = await idOf(['-u', USER]);
      const groups = (await idOf(['-G', USER])).split(' ').sort();
      const program = await reachableCopy('print-env.sh', uid);
      if (program === null) {
        await run('sh', ['-c', `userdel ${USER}; groupdel ${GROUP}`]);
        t.skip(
          `${USER} cannot reach a copy of the fixture under ${tmpdir()} (set TMPDIR to a folder it can enter)`,
        );
        return;
      }
      // The user can only be removed once nothing runs as it: stop the daemon first, pass or fail.
      const d = await startDaemon(
        // Unindented: an indented line would continue the header's last value, as in supervisord.
        `
[program:dropped]
command = ${program.file}
user = ${USER}
startsecs = 0
stdout_logfile = %(here)s/dropped.log
`,
        { env: { TEND_SPAWNER: spawner } },
      );
      try {
        await d.waitFor('output', () => {
          try {
            return readFileSync(`${d.dir}/dropped.log`, 'utf8').includes('groups=');
          } catch {
            return false;
          }
        });
        const line = /^uid=(\d+) gid=(\d+) groups=(.*)$/m.exec(readFileSync(`${d.dir}/dropped.log`, 'utf8'));
        assert.ok(line !== null);
        assert.equal(line[1], uid);
        assert.deepEqual(
          line[3]?.split(' ').sort(),
          groups,
          'supplementary groups are the user’s, as initgroups gives them',
        );
      } finally {
        await d.stop();
        rmSync(program.dir, { recursive: true, force: true });
        const removed = await run('sh', ['-c', `userdel ${USER} && groupdel ${GROUP}`]);
        assert.equal(removed.code, 0, removed.stderr);
      }
    });
  }
});
