import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { addonOrSkip, request, runNative, until, untilExeced } from '../../helpers/native.js';
import type { NativeAddon, NativeExit, NativeSpawnRequest } from '../../../src/process/native.js';
import { tempDir } from '../../helpers/tmp.js';

// The native seam on its own (native/, src/process/native.ts): real children started through the
// addon, checked from the outside (/proc, id, the exit status the kernel reports).

const isRoot = process.getuid?.() === 0;
/** Root, and not root of a user namespace (a rootless container), where the kernel's identity map is. */
const isInitialRoot = (): boolean =>
  isRoot && readFileSync('/proc/self/uid_map', 'utf8').trim().split(/\s+/).join(' ') === '0 0 4294967295';

const statFields = (pid: number): string[] => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

describe('native spawner: exits', () => {
  it('reports the exit code, with CPU time', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const run = await runNative(addon, {
      argv: ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exit 7'],
    });
    assert.equal(run.exit.code, 7);
    assert.equal(run.exit.signal, null);
    assert.equal(run.exit.core, false);
    assert.ok((run.exit.userSec ?? 0) + (run.exit.systemSec ?? 0) > 0, 'the loop used some CPU');
  });

  it('reports death by a signal by its number', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const run = await runNative(addon, { argv: ['sh', '-c', 'kill -TERM $$'] });
    assert.equal(run.exit.code, null);
    assert.equal(run.exit.signal, 15);
  });

  it('reports a core dump where the core limit allows one (and none where it is 0)', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const dir = tempDir();
    const noCore = await runNative(addon, {
      argv: ['sh', '-c', 'kill -SEGV $$'],
      cwd: dir,
      rlimits: [{ resource: addon.RLIMIT.CORE!, soft: 0, hard: -1 }],
    });
    assert.deepEqual([noCore.exit.signal, noCore.exit.core], [11, false]);
    const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
    if (pattern.startsWith('|')) {
      t.diagnostic(`core_pattern pipes to ${pattern}: the core=true case is not checked here`);
      return;
    }
    const core = await runNative(addon, {
      argv: ['sh', '-c', 'kill -SEGV $$'],
      cwd: dir,
      rlimits: [{ resource: addon.RLIMIT.CORE!, soft: -1, hard: -1 }],
    });
    assert.deepEqual([core.exit.signal, core.exit.core], [11, true]);
  });
});

describe('native spawner: what the child gets', () => {
  it('argv[0] as given, env, cwd, umask, and the child’s own pid in pidEnv', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const dir = tempDir();
    const run = await runNative(addon, {
      argv: ['my-name', '-c', 'echo "$0|$FOO|$LISTEN_PID|$WATCHDOG_PID|$$"; pwd; umask'],
      env: ['PATH=/usr/bin:/bin', 'FOO=bar baz'],
      pidEnv: ['LISTEN_PID', 'WATCHDOG_PID'],
      cwd: dir,
      umask: 0o027,
    });
    assert.equal(run.output, `my-name|bar baz|${run.pid}|${run.pid}|${run.pid}\n${dir}\n0027\n`);
  });

  it('a new session and process group; signals unblocked and at their defaults', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    let exited = (): void => undefined;
    const done = new Promise<void>((resolve) => (exited = resolve));
    const child = addon.spawn(
      request({ file: '/bin/sleep', argv: ['sleep', '30'], stdout: 'null', stderr: 'null' }),
      () => {
        exited();
      },
    );
    try {
      await untilExeced(addon, child.pid);
      const [, , pgrp, session] = statFields(child.pid);
      assert.equal(Number(pgrp), child.pid);
      assert.equal(Number(session), child.pid);
      // Node ignores SIGPIPE; the child must not inherit that, nor a blocked mask.
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      assert.match(status, /^SigBlk:\s+0+$/m);
      assert.match(status, /^SigIgn:\s+0+$/m);
    } finally {
      process.kill(child.pid, 'SIGKILL');
      await done;
    }
  });

  it('only fds 0–2 and the extra fds reach the child, not even fds the daemon left inheritable', (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    // Node opens everything close-on-exec (and marks the low fds it inherits), so the leak is
    // made from outside: a Python helper execs a Node script with fd 200 open and inheritable, as
    // a daemon inherits fds from whoever started it. An exec would hand it to every child; the
    // addon must not.
    const dir = tempDir();
    const passed = path.join(dir, 'passed');
    const leaked = path.join(dir, 'leaked');
    writeFileSync(passed, '');
    writeFileSync(leaked, '');
    const script = path.join(dir, 'fds.mjs');
    writeFileSync(
      script,
      [
        "import { createRequire } from 'node:module';",
        "import { openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';",
        'const [addonPath, passedPath] = process.argv.slice(2);',
        'const n = createRequire(import.meta.url)(addonPath);',
        "const flags = /^flags:\\s+([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/200', 'utf8'))[1];",
        'const inheritable = (parseInt(flags, 8) & 0o2000000) === 0;',
        "const passed = openSync(passedPath, 'r');",
        'let exited;',
        'const done = new Promise((resolve) => (exited = resolve));',
        "const child = n.spawn({ file: '/bin/sleep', argv: ['sleep', '30'], env: ['PATH=/usr/bin:/bin'], pidEnv: [],",
        "  cwd: null, umask: -1, uid: -1, gid: -1, rlimits: [], newSession: true, stdin: 'pipe', stdout: 'pipe',",
        "  stderr: 'stdout', extraFds: [passed] }, () => exited());",
        'while (n.settingUp(child.pid)) await new Promise((resolve) => setTimeout(resolve, 1));',
        // Right after its exec the program's own start-up (ld.so opening libc) may hold one more fd
        // for a moment; a leaked fd stays: the listing is read until it has 4 or 5 s have passed.
        'let fds = readdirSync(`/proc/${child.pid}/fd`).sort();',
        'for (const end = Date.now() + 5000; fds.length > 4 && Date.now() < end; ) {',
        '  await new Promise((resolve) => setTimeout(resolve, 5));',
        '  fds = readdirSync(`/proc/${child.pid}/fd`).sort();',
        '}',
        'const links = Object.fromEntries(fds.map((fd) => [fd, readlinkSync(`/proc/${child.pid}/fd/${fd}`)]));',
        "process.kill(child.pid, 'SIGKILL');",
        'await done;',
        'console.log(JSON.stringify({ inheritable, fds, links }));',
      ].join('\n'),
    );
    const exec =
      'import os, sys\n' +
      'fd = os.open(sys.argv[1], os.O_RDONLY); os.dup2(fd, 200, inheritable=True); os.close(fd)\n' +
      'os.execv(sys.argv[2], sys.argv[2:])\n';
    const result = spawnSync(
      '/usr/bin/python3',
      ['-c', exec, leaked, process.execPath, script, nativeFile(), passed],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const seen = JSON.parse(result.stdout || '{}') as {
      inheritable?: boolean;
      fds?: string[];
      links: Record<string, string>;
    };
    assert.equal(seen.inheritable, true, `the helper has an inheritable fd 200 to leak: ${result.stderr}`);
    assert.deepEqual(seen.fds, ['0', '1', '2', '3']);
    assert.equal(seen.links['3'], passed, 'fd 3 is the extra fd, not the inherited one');
    assert.match(String(seen.links['0']), /^pipe:/);
  });

  it('more extra fds than the addon has slots: the fd table is copied instead, same result', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const dir = tempDir();
    const files = Array.from({ length: 12 }, (_, i) => path.join(dir, `f${i}`));
    for (const file of files) writeFileSync(file, '');
    const fds = files.map((file) => openSync(file, 'r'));
    let exited = (): void => undefined;
    const done = new Promise<void>((resolve) => (exited = resolve));
    const child = addon.spawn(
      request({ file: '/bin/sleep', argv: ['sleep', '30'], stdout: 'null', extraFds: fds }),
      () => {
        exited();
      },
    );
    try {
      await untilExeced(addon, child.pid);
      // The program's own start-up may hold one more fd for a moment (ld.so opening libc); a leaked
      // fd stays, so the listing is read until it has 15 or 5 s have passed.
      const listing = (): number[] =>
        readdirSync(`/proc/${child.pid}/fd`)
          .map(Number)
          .sort((a, b) => a - b);
      await until('the program to close its start-up fds', () => listing().length <= 15, 5000, 5).catch(
        () => undefined,
      );
      const seen = listing();
      assert.deepEqual(
        seen,
        Array.from({ length: 15 }, (_, i) => i),
      );
      files.forEach((file, i) => {
        assert.equal(readlinkSync(`/proc/${child.pid}/fd/${i + 3}`), file);
      });
    } finally {
      process.kill(child.pid, 'SIGKILL');
      await done;
      // The daemon's own fds are untouched by what the child did with its copies.
      for (const fd of fds) closeSync(fd);
    }
  });

  it('stdout and stderr are pipes (so /dev/stdout opens), grown to 128 KiB where tend is root', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    // F_GETPIPE_SZ is 1032; a socket pair (child_process's kind) would make open() say ENXIO.
    const probe =
      'import fcntl, os, stat\n' +
      'for fd in (1, 2):\n' +
      '    print(fd, stat.S_ISFIFO(os.fstat(fd).st_mode), fcntl.fcntl(fd, 1032), flush=True)\n' +
      'with open("/dev/stdout", "w") as out: out.write("through /dev/stdout\\n")\n';
    const run = await runNative(addon, {
      file: '/usr/bin/python3',
      argv: ['python3', '-c', probe],
      stderr: 'pipe',
    });
    assert.equal(run.exit.code, 0, run.output);
    const [out, err, last] = run.output.trimEnd().split('\n');
    assert.equal(last, 'through /dev/stdout');
    for (const [fd, line] of [
      [1, out],
      [2, err],
    ] as const) {
      const [reported, fifo, size] = (line ?? '').split(' ');
      assert.deepEqual([reported, fifo], [String(fd), 'True'], `fd ${fd}: ${line}`);
      if (isInitialRoot()) assert.equal(Number(size), 128 * 1024, `fd ${fd}'s pipe size`);
      else t.diagnostic(`not root of the initial user namespace: fd ${fd} keeps ${size} bytes`);
    }
  });

  it('root of a user namespace (a rootless container) keeps the kernel’s pipe size', (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    // There root is unprivileged to the kernel's pipe accounting: grown pipes would spend the
    // user's shared budget. The addon is loaded by a Node started inside the namespace.
    const probe = 'import fcntl; print(fcntl.fcntl(1, 1032), flush=True)';
    const script = [
      'const n = require(process.argv[1]);',
      "let out = '';",
      "const child = n.spawn({ file: '/usr/bin/python3', argv: ['python3', '-c', process.argv[2]], env: [],",
      '  pidEnv: [], cwd: null, umask: -1, uid: -1, gid: -1, rlimits: [], newSession: true,',
      "  stdin: 'null', stdout: 'pipe', stderr: 'null', extraFds: [] }, () => undefined);",
      "const s = new (require('node:net').Socket)({ fd: child.stdout, readable: true, writable: false });",
      "s.on('data', (d) => (out += d)); s.on('end', () => console.log(JSON.stringify({ uid: process.getuid(), size: Number(out) })));",
    ].join('\n');
    const result = spawnSync(
      'unshare',
      ['--user', '--map-root-user', process.execPath, '-e', script, nativeFile(), probe],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    if (
      result.status !== 0 &&
      /unshare failed|Operation not permitted|No such file|ENOENT/.test(
        `${result.stderr}${result.error?.message ?? ''}`,
      )
    ) {
      t.skip(`no user namespace here: ${(result.stderr || result.error?.message || '').trim()}`);
      return;
    }
    const seen = JSON.parse(result.stdout || '{}') as { uid?: number; size?: number };
    assert.equal(seen.uid, 0, result.stderr);
    assert.ok(seen.size !== undefined && seen.size > 0 && seen.size < 128 * 1024, `pipe size ${seen.size}`);
  });

  it('passes a listening socket as fd 3 with LISTEN_FDS and LISTEN_PID (socket activation)', (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    // The listening socket must not be accepted on by the process that passes it, and a Node
    // server always accepts: a Python helper listens and execs a Node script with the fd, which
    // spawns the Python child through the addon and connects to it.
    const dir = tempDir();
    const script = path.join(dir, 'activate.mjs');
    writeFileSync(
      script,
      [
        "import { createRequire } from 'node:module';",
        "import { connect } from 'node:net';",
        'const [addonPath, fdText, portText] = process.argv.slice(2);',
        'const n = createRequire(import.meta.url)(addonPath);',
        'const child = `import os, socket',
        'assert os.environ["LISTEN_PID"] == str(os.getpid()) and os.environ["LISTEN_FDS"] == "1"',
        's = socket.socket(fileno=3)',
        'c, _ = s.accept()',
        'c.sendall(b"hello from fd 3")',
        'c.close()`;',
        "const exited = new Promise((resolve) => n.spawn({ file: '/usr/bin/python3', argv: ['python3', '-c', child],",
        "  env: ['LISTEN_FDS=1'], pidEnv: ['LISTEN_PID'], cwd: null, umask: -1, uid: -1, gid: -1, rlimits: [],",
        "  newSession: true, stdin: 'null', stdout: 'null', stderr: 'null', extraFds: [Number(fdText)] }, resolve));",
        "let reply = '';",
        "const socket = connect(Number(portText), '127.0.0.1');",
        "socket.on('data', (chunk) => (reply += chunk));",
        "socket.on('end', async () => console.log(JSON.stringify({ reply, code: (await exited).code })));",
      ].join('\n'),
    );
    const listen =
      'import os, socket, sys\n' +
      's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); s.set_inheritable(True)\n' +
      'os.execv(sys.argv[1], sys.argv[1:] + [str(s.fileno()), str(s.getsockname()[1])])\n';
    const result = spawnSync('/usr/bin/python3', ['-c', listen, process.execPath, script, nativeFile()], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.deepEqual(JSON.parse(result.stdout || '{}'), { reply: 'hello from fd 3', code: 0 }, result.stderr);
  });
});

describe('native spawner: a failure before execve comes with the exit, naming the step and errno', () => {
  it('ENOENT from execve', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const failed = await setupFailure(addon, { file: '/nonexistent/prog', argv: ['prog'] });
    assert.deepEqual(failed, { code: 127, error: { code: 'ENOENT', syscall: 'execve' } });
  });

  it('EACCES from execve (not executable)', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const file = path.join(tempDir(), 'script');
    writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const failed = await setupFailure(addon, { file, argv: [file] });
    assert.deepEqual(failed, { code: 127, error: { code: 'EACCES', syscall: 'execve' } });
  });

  it('ENOENT from chdir', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const failed = await setupFailure(addon, { cwd: '/nonexistent/dir' });
    assert.deepEqual(failed, { code: 127, error: { code: 'ENOENT', syscall: 'chdir' } });
  });

  it('many spawns at once, half failing: each exit says its own outcome, and none is left setting up', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const runs = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        setupFailure(addon, i % 2 === 0 ? {} : { cwd: `/nonexistent/${i}` }),
      ),
    );
    runs.forEach((run, i) => {
      if (i % 2 === 0) assert.deepEqual(run, { code: 0 });
      else assert.deepEqual(run, { code: 127, error: { code: 'ENOENT', syscall: 'chdir' } });
    });
  });

  it('a signal that would dump core, sent while the child sets up, ends only the child, without a dump', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    // Spawns after the first in one turn of the loop return while the child still runs on the
    // daemon's memory; a core dump there would take the daemon with it (before Linux 5.16) or
    // write its memory. The child ends with 128 + 3 instead; after its exec, SIGQUIT is the
    // program's. The core limit is 0 so that a dump of a program cannot fill the disk.
    const quit = { ...request({ file: '/bin/sleep', argv: ['sleep', '30'], stdout: 'null' }) };
    const rlimits = [{ resource: addon.RLIMIT.CORE ?? 4, soft: 0, hard: 0 }];
    const exits = await Promise.all(
      Array.from(
        { length: 100 },
        () =>
          new Promise<NativeExit>((resolve) => {
            const child = addon.spawn({ ...quit, rlimits }, resolve);
            process.kill(child.pid, 'SIGQUIT');
          }),
      ),
    );
    const outcomes = exits.map((e) => (e.code !== null ? `code ${e.code}` : `signal ${e.signal}`));
    assert.ok(
      outcomes.every((o) => o === 'code 131' || o === 'signal 3'),
      outcomes.join(', '),
    );
    assert.ok(outcomes.includes('code 131'), `none was caught setting up: ${outcomes.join(', ')}`);
    assert.ok(exits.every((e) => !e.core));
  });

  it('refuses strings with a NUL byte instead of cutting them', (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    assert.throws(() => addon.spawn(request({ env: ['A=b\0c'] }), () => undefined), TypeError);
  });
});

describe('native spawner: users (as root)', () => {
  it('drops to uid/gid with the user’s groups from the group database (initgroups)', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    if (!isRoot) {
      t.skip('needs root to switch users');
      return;
    }
    const expected = spawnSync('id', ['-G', 'nobody'], { encoding: 'utf8' }).stdout.trim().split(' ').sort();
    const run = await runNative(addon, { file: '/usr/bin/id', argv: ['id'], uid: 65534, gid: 65534 });
    const line = /^uid=(\d+)\S* gid=(\d+)\S* groups=(.*)$/.exec(run.output.trim());
    assert.ok(line !== null, run.output);
    assert.equal(line[1], '65534');
    assert.equal(line[2], '65534');
    const groups = (line[3] ?? '')
      .split(',')
      .map((g) => g.replace(/\(.*\)/, ''))
      .sort();
    assert.deepEqual(groups, expected);
  });

  it('chdir happens as the user: a directory only root may enter is EACCES', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    if (!isRoot) {
      t.skip('needs root to switch users');
      return;
    }
    const dir = tempDir();
    chmodSync(dir, 0o700);
    const failed = await setupFailure(addon, { cwd: dir, uid: 65534, gid: 65534 });
    assert.deepEqual(failed, { code: 127, error: { code: 'EACCES', syscall: 'chdir' } });
  });

  it('EAGAIN when the user may not have another process (RLIMIT_NPROC)', (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    if (!isRoot) {
      t.skip('needs root to run a helper as another user');
      return;
    }
    // A helper process as nobody lowers its own RLIMIT_NPROC below what nobody runs, so its next
    // clone fails: root is exempt from the limit. The addon is copied where nobody can read it
    // (the checkout may be in a private directory).
    const dir = tempDir();
    chmodSync(dir, 0o755);
    copyFileSync(nativeFile(), path.join(dir, 'tend_native.node'));
    const script = path.join(dir, 'eagain.cjs');
    writeFileSync(
      script,
      [
        "const n = require('./tend_native.node');",
        'n.setrlimit(n.RLIMIT.NPROC, 1, 1);',
        'try {',
        "  n.spawn({ file: '/bin/true', argv: ['true'], env: [], pidEnv: [], cwd: null, umask: -1, uid: -1, gid: -1,",
        "    rlimits: [], newSession: true, stdin: 'null', stdout: 'null', stderr: 'null', extraFds: [] }, () => {});",
        "  console.log('spawned');",
        '} catch (e) { console.log(`${e.syscall} ${e.code}`); }',
      ].join('\n'),
    );
    chmodSync(script, 0o644);
    const reachable = spawnSync('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      'test',
      '-r',
      script,
    ]);
    if (reachable.status !== 0) {
      t.skip(
        `nobody cannot read ${dir} (the temp dir is closed to other users; set TMPDIR to one it can enter)`,
      );
      return;
    }
    const result = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    assert.equal(result.stdout.trim(), 'fork EAGAIN', result.stderr);
  });
});

/** Spawns and waits for the exit: its code, and the step that failed (code, syscall) if one did. */
const setupFailure = async (
  addon: NativeAddon,
  overrides: Partial<NativeSpawnRequest>,
): Promise<{ code: number | null; error?: { code: string; syscall: string } }> => {
  let pid = 0;
  const exit = await new Promise<NativeExit>((resolve) => {
    pid = addon.spawn(request({ stdout: 'null', stderr: 'null', ...overrides }), resolve).pid;
  });
  assert.equal(addon.settingUp(pid), false, 'a child that exited is not setting up');
  return {
    code: exit.code,
    ...(exit.error === undefined ? {} : { error: { code: exit.error.code, syscall: exit.error.syscall } }),
  };
};

const nativeFile = (): string => {
  const here = path.dirname(new URL(import.meta.url).pathname);
  return path.resolve(here, '../../../..', 'native/build/Release/tend_native.node');
};

describe('native addon: where it may run', () => {
  it('declares itself unavailable in a worker thread (its state is process-wide)', async (t) => {
    if (addonOrSkip(t) === null) return;
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       parentPort.postMessage(require(workerData).unavailable);`,
      { eval: true, workerData: nativeFile() },
    );
    const [message] = (await once(worker, 'message')) as [unknown];
    await worker.terminate();
    assert.equal(message, 'it runs in the main thread only');
  });
});
