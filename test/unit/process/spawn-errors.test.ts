import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnErrorMessage } from '../../../src/process/spawn-errors.js';
import { decodeExit } from '../../../src/process/index.js';

// A failed spawn in supervisord's words (process.py), by step and errno.

const subject = { name: 'web', argv0: '/srv/web', cwd: '/srv', uid: 1000 };

describe('spawnErrorMessage', () => {
  const cases: [string, string, string][] = [
    ['fork', 'EAGAIN', "Too many processes in process table to spawn 'web'"],
    ['pipe', 'EMFILE', "too many open files to spawn 'web'"],
    ['pidfd_open', 'ENFILE', "too many open files to spawn 'web'"],
    ['fork', 'ENOMEM', "unknown error during fork for 'web': ENOMEM"],
    ['chdir', 'ENOENT', "couldn't chdir to /srv: ENOENT"],
    ['chdir', 'EACCES', "couldn't chdir to /srv: EACCES"],
    ['setuid', 'EPERM', "couldn't setuid to 1000: setuid EPERM"],
    ['setgroups', 'EPERM', "couldn't setuid to 1000: setgroups EPERM"],
    ['execve', 'ENOENT', "couldn't exec /srv/web: ENOENT"],
    ['execve', 'EACCES', "couldn't exec /srv/web: EACCES"],
    ['execve', 'EAGAIN', "couldn't exec /srv/web: EAGAIN"],
    ['setrlimit', 'EPERM', "couldn't setrlimit for 'web': EPERM"],
    // child_process reports an errno without the step (libuv): EAGAIN/EMFILE are fork's.
    ['spawn', 'EAGAIN', "Too many processes in process table to spawn 'web'"],
    ['spawn', 'EMFILE', "too many open files to spawn 'web'"],
    ['spawn', 'ENOENT', "couldn't exec /srv/web: ENOENT"],
  ];
  for (const [step, errno, message] of cases) {
    it(`${step} ${errno}`, () => {
      assert.equal(spawnErrorMessage(errno, step, subject), message);
    });
  }
});

describe('decodeExit', () => {
  it('words a core dump as supervisord does', () => {
    assert.equal(
      decodeExit({ code: null, signal: 'SIGSEGV', core: true }).message,
      'terminated by SIGSEGV (core dumped)',
    );
    assert.equal(decodeExit({ code: null, signal: 'SIGSEGV', core: false }).message, 'terminated by SIGSEGV');
  });
});
