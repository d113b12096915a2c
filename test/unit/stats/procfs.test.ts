import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  figuresBetween,
  pageSizeFrom,
  parseStat,
  parseStatmResident,
  parseStatusRss,
  procSource,
  treeUsage,
  type ProcStat,
} from '../../../src/stats/index.js';
import { tempDir } from '../../helpers/tmp.js';

// /proc text as Linux writes it (proc(5)); the command name may hold spaces and parentheses.

const STAT =
  '4242 (my (odd) prog) S 4000 4242 4242 0 -1 4194560 1500 0 0 0 250 75 12 3 20 0 4 0 987654 123456789 2048 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n';

const stat = (pid: number, ppid: number, extra: Partial<ProcStat> = {}): ProcStat => ({
  pid,
  ppid,
  state: 'S',
  utime: 0,
  stime: 0,
  cutime: 0,
  cstime: 0,
  starttime: 1000 + pid,
  rss: 0,
  ...extra,
});

describe('/proc parsers', () => {
  it('read /proc/PID/stat fields after the last parenthesis', () => {
    assert.deepEqual(parseStat(STAT), {
      pid: 4242,
      ppid: 4000,
      state: 'S',
      utime: 250,
      stime: 75,
      cutime: 12,
      cstime: 3,
      starttime: 987654,
      rss: 2048,
    });
  });

  it('refuse text that is not a stat line', () => {
    assert.equal(parseStat(''), null);
    assert.equal(parseStat('4242 (x) S'), null);
    assert.equal(parseStat('garbage'), null);
  });

  it('read statm and status, and derive the page size from the two', () => {
    assert.equal(parseStatmResident('5000 1200 300 10 0 900 0\n'), 1200);
    assert.equal(parseStatusRss('Name:\tnode\nVmRSS:\t    4804 kB\nThreads:\t7\n'), 4804 * 1024);
    assert.equal(parseStatusRss('Name:\tkthreadd\n'), null);
    // Memory that moved a little between the two reads still gives a power of two.
    assert.equal(pageSizeFrom(1200, 1200 * 4096 + 8192), 4096);
    assert.equal(pageSizeFrom(100, 100 * 65536), 65536);
    assert.equal(pageSizeFrom(0, 10), null);
  });
});

describe('process trees', () => {
  const table = new Map(
    [
      stat(1, 0),
      stat(10, 1, { utime: 100, stime: 50, rss: 300 }),
      stat(11, 10, { utime: 40, cutime: 7, rss: 200 }),
      stat(12, 11, { utime: 5, rss: 100 }),
      stat(13, 10, { state: 'Z', utime: 9, rss: 0 }),
      stat(20, 1, { utime: 1000, rss: 999 }),
    ].map((s) => [s.pid, s] as const),
  );

  it('sum a root and every descendant, including children they reaped', () => {
    const usage = treeUsage([10, 20, 99], table);
    assert.deepEqual(usage.get(10), {
      ticks: 100 + 50 + 40 + 7 + 5 + 9,
      rssPages: 600,
      pids: 3,
      rootStart: 1010,
    });
    assert.deepEqual(usage.get(20), { ticks: 1000, rssPages: 999, pids: 1, rootStart: 1020 });
    assert.equal(usage.has(99), false, 'a root that exited is left out');
  });

  it('give CPU% between two passes, and none across a pid reused by another process', () => {
    const units = { pageSize: 4096, ticksPerSecond: 100 };
    const tree = { ticks: 100, rssPages: 10, pids: 2, rootStart: 5, pid: 10 };
    const first = { at: 0, usage: new Map([['web', tree]]) };
    const second = { at: 2000, usage: new Map([['web', { ...tree, ticks: 150 }]]) };
    assert.deepEqual(figuresBetween(first, second, 'web', units), {
      cpuPercent: 25,
      cpuSeconds: 1.5,
      rssBytes: 40960,
      pids: 2,
      sampledAt: 2000,
    });
    assert.equal(figuresBetween(null, first, 'web', units)?.cpuPercent, null);
    const reused = { at: 2000, usage: new Map([['web', { ...tree, ticks: 150, rootStart: 6 }]]) };
    assert.equal(figuresBetween(first, reused, 'web', units)?.cpuPercent, null);
    assert.equal(figuresBetween(first, second, 'db', units), null);
  });
});

describe('procSource', () => {
  it('reads a /proc tree: every numeric entry, unreadable ones skipped', async () => {
    const root = tempDir();
    const write = (file: string, text: string): void => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write('self/stat', STAT);
    write('self/statm', '5000 100 0 0 0 0 0\n');
    write('self/status', 'VmRSS:\t     400 kB\n');
    write('4242/stat', STAT);
    write('77/stat', '77 (sh) R 4242 77 77 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 999 0 5 0\n');
    mkdirSync(path.join(root, '88'));
    write('sys/stat', 'not a process');
    const source = procSource(root);
    assert.ok(source !== null);
    assert.equal(source.pageSize, 4096);
    assert.deepEqual(
      [...(await source.table()).keys()].sort((a, b) => a - b),
      [77, 4242],
    );
    assert.equal(procSource(path.join(root, 'nothing')), null, 'no /proc: no figures');
  });
});
