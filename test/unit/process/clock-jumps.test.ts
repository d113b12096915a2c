import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setupProcess } from '../../helpers/lifecycle.js';

// Wall-clock steps (NTP, a resumed VM, `date -s`) must not change a lifecycle decision (issue 15,
// the clock): every duration the lifecycle decides on is measured on the monotonic clock. Each
// case also runs without the jump, so the test shows the jump is what it is about.

const HOUR = 3_600_000;

describe('wall-clock jumps do not change lifecycle decisions', () => {
  for (const jump of [0, HOUR, -HOUR]) {
    it(`a start that fails after 2 s of startsecs=10 is a start failure (wall jump ${jump / HOUR} h)`, () => {
      const s = setupProcess({ startsecs: 10, autorestart: true });
      s.p.dispatch({ type: 'start' });
      s.clock.advance(1000);
      s.clock.jumpWall(jump);
      s.clock.advance(1000);
      s.spawner.last.exit(1);
      assert.equal(s.p.state, 'BACKOFF');
    });

    it(`a run of 2 minutes resets the exponential streak: restart at once (wall jump ${jump / HOUR} h)`, () => {
      const s = setupProcess({
        startsecs: 0,
        autorestart: true,
        backoff: { kind: 'exponential', maxSecs: 60 },
      });
      s.p.dispatch({ type: 'start' });
      s.clock.advance(10);
      for (let i = 0; i < 4; i++) {
        s.spawner.last.exit(1);
        s.clock.advance(20_000);
      }
      assert.ok(s.p.restartStreak >= 3, 'a streak was built');
      s.clock.advance(60_000);
      s.clock.jumpWall(jump);
      s.clock.advance(60_000);
      const spawned = s.spawner.children.length;
      s.spawner.last.exit(1);
      assert.equal(s.spawner.children.length, spawned + 1, 'restarted without a delay');
    });

    it(`restarts older than restart_window do not count toward the flap guard (wall jump ${jump / HOUR} h)`, () => {
      const s = setupProcess({ startsecs: 0, autorestart: true, restartLimit: 3, restartWindow: 60 });
      s.p.dispatch({ type: 'start' });
      s.clock.advance(10);
      for (let i = 0; i < 3; i++) {
        s.spawner.last.exit(1);
        s.clock.advance(10);
      }
      s.clock.jumpWall(jump);
      s.clock.advance(61_000);
      s.spawner.last.exit(1);
      assert.notEqual(s.p.state, 'FATAL');
    });
  }
});
