import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  selectSpawner,
  startOrphanReaper,
  type ChildExit,
  type ReapedOrphan,
  type SpawnRequest,
  type SpawnedChild,
} from '../../../src/process/index.js';
import { addonOrSkip, collect, request } from '../../helpers/native.js';

// The orphan reaper takes only orphans: never the exit status of a child that the native
// spawner's pidfd or libuv (child_process) waits for. This test process becomes a subreaper; each
// test file runs in a process of its own, so nothing else is affected.

const spawnRequest = (argv: string[]): SpawnRequest => ({
  name: 'test',
  stop: { signal: 'TERM', waitSecs: 1 },
  file: '/bin/sh',
  argv: ['sh', ...argv],
  env: { PATH: '/usr/bin:/bin' },
  cwd: null,
  umask: null,
  user: null,
  redirectStderr: true,
});

const procStat = (pid: string): string[] | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
};

/** Children of this process that are zombies. */
const zombieChildren = (): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      const fields = procStat(entry);
      return fields !== null && fields[0] === 'Z' && Number(fields[1]) === process.pid;
    })
    .map(Number);

const isZombieChild = (pid: number): boolean => {
  const fields = procStat(String(pid));
  return fields !== null && fields[0] === 'Z' && Number(fields[1]) === process.pid;
};

/** Blocks the event loop (so no pidfd or SIGCHLD callback can run) until `check` holds. */
const blockUntil = (what: string, check: () => boolean): void => {
  const deadline = Date.now() + 20_000;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    Atomics.wait(cell, 0, 0, 5);
  }
};

const exitOf = (child: SpawnedChild): Promise<ChildExit> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no exit reported for pid ${child.pid}`));
    }, 30_000);
    child.onExit((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });

const until = async (what: string, check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('orphan reaper', () => {
  it('reaps orphans while native and child_process children keep their own exit statuses', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    const reaped: ReapedOrphan[] = [];
    const reaper = startOrphanReaper('subreaper', (orphan) => reaped.push(orphan));
    const native = selectSpawner({ TEND_SPAWNER: 'native' }).spawner;
    const libuv = selectSpawner({ TEND_SPAWNER: 'child_process' }).spawner;
    try {
      assert.equal(addon.isSubreaper(), true);
      const orphans: number[] = [];
      const statuses: Promise<ChildExit>[] = [];
      for (let round = 0; round < 5; round++) {
        // Two grandchildren outlive their parent, are re-parented here and exit later.
        const parent = native.spawn(
          spawnRequest(['-c', '(sleep 0.3; exit 9) & echo $!; (sleep 0.2; exit 8) & echo $!; exit 0']),
        );
        statuses.push(exitOf(parent));
        statuses.push(exitOf(native.spawn(spawnRequest(['-c', 'sleep 0.25; exit 6']))));
        statuses.push(exitOf(libuv.spawn(spawnRequest(['-c', 'sleep 0.25; exit 5']))));
        orphans.push(...(await readPids(parent)));
      }
      const codes = (await Promise.all(statuses)).map((exit) => exit.code);
      assert.deepEqual(codes, Array.from({ length: 5 }, () => [0, 6, 5]).flat());
      await until('every orphan reaped', () => orphans.every((pid) => reaped.some((r) => r.pid === pid)));
      assert.deepEqual(
        orphans.map((pid) => reaped.find((r) => r.pid === pid)?.code).sort(),
        Array.from({ length: 5 }, () => [8, 9])
          .flat()
          .sort(),
      );
      assert.equal(reaped.length, orphans.length, 'nothing but the orphans was reaped');
      await until('no zombie left', () => zombieChildren().length === 0);
    } finally {
      reaper.close();
    }
    assert.equal(addon.isSubreaper(), false);
  });

  it('an owned zombie listed first does not hide an orphan, and stays for its owner', async (t) => {
    const addon = addonOrSkip(t);
    if (addon === null) return;
    addon.setSubreaper(true);
    try {
      let exited: (code: number | null) => void = () => undefined;
      const ownExit = new Promise<number | null>((resolve) => (exited = resolve));
      // Ours, exiting at once: its zombie waits for the pidfd callback, which cannot run while the
      // loop is blocked below. It is older than the orphan, so waitid(P_ALL) shows it first.
      const own = addon.spawn(request({ argv: ['sh', '-c', 'exit 4'], stdout: 'null' }), (exit) => {
        exited(exit.code);
      });
      const parent = addon.spawn(
        request({ argv: ['sh', '-c', '(exit 7) & echo $!; exit 0'], stdout: 'pipe' }),
        () => undefined,
      );
      const output = collect(parent.stdout);
      blockUntil('both zombies', () => isZombieChild(own.pid) && zombieChildren().length >= 3);
      const reaped = addon.reapOrphans();
      const [orphan] = reaped;
      assert.ok(orphan !== undefined && reaped.length === 1, JSON.stringify(reaped));
      assert.equal(orphan.code, 7);
      assert.ok(isZombieChild(own.pid), 'the owned zombie is left to its pidfd');
      assert.equal(await ownExit, 4);
      assert.equal(Number((await output).trim()), orphan.pid);
    } finally {
      addon.setSubreaper(false);
    }
  });
});

const readPids = async (child: SpawnedChild): Promise<number[]> => {
  const stream = child.stdout;
  if (stream === null) return [];
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text.trim().split('\n').map(Number);
};
