import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { startDaemon } from '../../helpers/daemon.js';

// Found by the chaos suite (issue 15, child-setsid-grandchildren): a grandchild that left the
// process group (setsid) and kept the program's stdout held the pipe open after the program was
// killed, and the exit waited for EOF up to 5 s, so a stop with stopwaitsecs = 3 sent SIGKILL again
// and again. The drain now asks /proc who holds the pipe and reports the exit at once. (The native
// spawner's pipes only: child_process gives socket pairs, whose far end /proc does not name.)

/** Pids whose command line is exactly `argv`. */
const pidsOf = (argv: readonly string[]): number[] =>
  readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `${argv.join('\0')}\0`;
      } catch {
        return false;
      }
    })
    .map(Number);

describe('a pipe held by a process that left the group', () => {
  it('a stop of a program whose setsid grandchild keeps its stdout sends SIGKILL once', async () => {
    const seconds = String(700_000 + (process.pid % 100_000));
    const d = await startDaemon(`[program:rogue]
command = /bin/sh -c 'trap "" TERM; setsid /bin/sleep ${seconds} & while :; do sleep 1; done'
startsecs = 1
stopwaitsecs = 3
stopasgroup = true
killasgroup = true
`);
    try {
      await d.waitForState('rogue', 'RUNNING');
      assert.match(d.output, /spawner: native/, 'the native spawner (pipes, not socket pairs)');
      const stop = await d.tend(['stop', 'rogue']);
      assert.equal(stop.code, 0, stop.stderr);
      await d.waitForOutput(/stopped: rogue/);
      assert.equal(
        pidsOf(['/bin/sleep', seconds]).length,
        1,
        'the grandchild outlived the stop, holding the pipe',
      );
      const kills = d.output.match(/killing 'rogue' \(\d+\) with SIGKILL/g) ?? [];
      assert.equal(kills.length, 1, d.output);
    } finally {
      for (const pid of pidsOf(['/bin/sleep', seconds])) process.kill(pid, 'SIGKILL');
    }
  });
});
