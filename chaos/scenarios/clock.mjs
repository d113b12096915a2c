// The wall clock jumps (an hour forward, then two back) under a running daemon: libfaketime with a
// timestamp file read on every call (FAKETIME_NO_CACHE), monotonic clocks left alone, as an NTP
// step or `date -s` would do. tend promises no false decision: a start that fails before startsecs
// is a start failure however far the clock jumped, restarts spaced wider than restart_window never
// add up to a crash loop, and a steady program is left alone.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sleep, waitFor } from '../../bench/lib/util.mjs';

const LIBFAKETIME = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
].find(existsSync);

const programs = [
  '[program:startfail]',
  "command=/bin/sh -c 'sleep 2; exit 1'",
  'startsecs=5',
  'startretries=2',
  '',
  '[program:flappy]',
  "command=/bin/sh -c 'sleep 3; exit 1'",
  'startsecs=1',
  'autorestart=true',
  'restart_limit=3',
  'restart_window=5',
  '',
  '[program:steady]',
  'command=/bin/sleep 3600',
  'startsecs=1',
].join('\n');

export const clockJumps = {
  id: 'clock-jumps',
  title: 'wall-clock jumps (+1 h, then -2 h) under a running daemon',
  systems: ['tend', 'supervisord'],
  sizes: { smoke: { watch: 1 }, full: { watch: 20 } },
  async run(ctx, { watch }) {
    if (!LIBFAKETIME) return { skip: 'libfaketime is not installed (apt-get install faketime)' };
    const stamp = path.join(ctx.dir, 'faketime');
    writeFileSync(stamp, '+0\n');
    const env = {
      ...process.env,
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME_TIMESTAMP_FILE: stamp,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
    const system = await ctx.start({ programs, env });
    await waitFor(async () => (await system.list()).find((p) => p.name === 'steady')?.state === 'RUNNING', {
      timeoutMs: 30_000,
      what: 'steady RUNNING',
    });
    const steadyPid = (await system.list()).find((p) => p.name === 'steady').pid;
    await sleep(700);
    writeFileSync(stamp, '+3600\n');
    await sleep(2500);
    writeFileSync(stamp, '-3600\n');
    await sleep(watch * 1000);
    const log = system.daemonLog();
    const falseStarts = (log.match(/success: startfail entered RUNNING/g) ?? []).length;
    const infos = await system.list();
    const flappy = infos.find((p) => p.name === 'flappy');
    const steady = infos.find((p) => p.name === 'steady');
    const pass =
      falseStarts === 0 && flappy.state !== 'FATAL' && steady.pid === steadyPid && steady.state === 'RUNNING';
    return {
      pass,
      figure: `startfail counted RUNNING ${falseStarts}×; flappy (restart_limit 3 in 5 s, runs 3 s) ${flappy.state}; steady ${steady.state}, ${steady.pid === steadyPid ? 'same pid' : 'restarted'}`,
      promise: 'no false RUNNING, no false crash loop, steady left alone',
    };
  },
};
