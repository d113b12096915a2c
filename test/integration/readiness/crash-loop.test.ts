// Crash loops with real children: the flap guard stops a program that keeps dying at once, and
// exponential backoff spaces its restarts out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, startDaemon } from '../../helpers/daemon.js';
import { full } from './helpers.js';

describe('crash loops', () => {
  it('restart_limit restarts within restart_window, then FATAL with a clear spawnerr', async () => {
    const d = await startDaemon(`
[program:loop]
command = ${fixture('exit-with.sh')} 1
startsecs = 0
autorestart = true
restart_limit = 3
restart_window = 60
`);
    const [loop] = await d.waitForState('loop', 'FATAL');
    assert.equal(
      loop?.description,
      'crash loop: 3 restarts within 60s (restart_limit = 3, restart_window = 60)',
    );
    // The daemon's stdout may still be on its way to us when the API already answers FATAL.
    await d.waitForOutput(/gave up: loop entered FATAL state/);
    assert.equal((d.output.match(/spawned: 'loop'/g) ?? []).length, 4, 'the first run and three restarts');
  });

  it('backoff = exponential delays repeated restarts out of EXITED', async () => {
    const d = await startDaemon(`
[program:expo]
command = ${fixture('exit-with.sh')} 1
startsecs = 0
autorestart = true
backoff = exponential
backoff_max = 1
`);
    await d.waitFor('three spawns', () => (d.output.match(/spawned: 'expo'/g) ?? []).length >= 3);
    const info = await full(d, 'expo');
    assert.ok(info.tend.backoff.restartStreak >= 2, JSON.stringify(info.tend.backoff));
    assert.equal((await d.tend(['stop', 'expo'])).code, 0);
    assert.equal((await d.process('expo')).statename, 'STOPPED');
  });
});
