// memory_limit with real children: a tree that grows past its limit is restarted (stop signal to
// the group) with the reason in the event and in the process info; one that stays below is left
// alone; a grandchild's memory counts; a limit the program exceeds at start is a contained loop.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, startDaemon, type Daemon } from '../../helpers/daemon.js';
import { SseClient } from '../../helpers/sse.js';
import { full, waitForInfo } from '../readiness/helpers.js';

const HOG = fixture('hog.py');

interface Restart {
  readonly name: string;
  readonly reason: string;
  readonly detail: string;
  readonly pid: number;
  readonly delayMs: number | null;
}

const restarts = async (d: Daemon): Promise<SseClient> =>
  SseClient.open({ socketPath: d.socket }, '/api/v1/events?history=1000&types=PROCESS_RESTART');

const passesSeen = async (d: Daemon, name: string, count: number): Promise<void> => {
  let last = 0;
  let seen = 0;
  await waitForInfo(d, name, `${count} samples`, (info) => {
    const at = info.tend.stats?.sampledAt ?? 0;
    if (at > last) {
      if (last !== 0) seen += 1;
      last = at;
    }
    return seen >= count;
  });
};

describe('memory_limit', () => {
  it('restarts a program whose memory grows past the limit, with the reason', async () => {
    const d = await startDaemon(`
[program:grow]
command = /usr/bin/python3 ${HOG} 4 1.5 96
startsecs = 0
memory_limit = 48MB
memory_limit_checks = 2
stopwaitsecs = 5
`);
    const events = await restarts(d);
    await events.waitFor('a memory restart', (es) => es.length > 0);
    const [event] = events.json<Restart>();
    events.close();
    const first = Number((await d.waitForOutput(/spawned: 'grow' with pid (\d+)/))[1]);
    assert.equal(event?.reason, 'memory');
    assert.equal(event.pid, first, 'the first child, once it grew');
    assert.match(event.detail, /^memory \d+ MiB > limit 48 MiB$/);
    const after = await waitForInfo(
      d,
      'grow',
      'the new child',
      (i) => i.statename === 'RUNNING' && i.pid !== first,
    );
    assert.equal(after.tend.lastRestart?.reason, event.detail);
    await d.waitForOutput(/restarting grow: memory \d+ MiB > limit 48 MiB/);
  });

  it('leaves a program below its limit alone', async () => {
    const d = await startDaemon(`
[program:small]
command = /usr/bin/python3 ${HOG} 4
startsecs = 0
memory_limit = 200MB
memory_limit_checks = 1
`);
    const pid = (await d.waitForState('small', 'RUNNING'))[0]?.pid ?? 0;
    await passesSeen(d, 'small', 4);
    const info = await full(d, 'small');
    assert.equal(info.pid, pid);
    assert.equal(info.tend.lastRestart, null);
    assert.deepEqual(info.tend.memoryLimit, { bytes: 200 * 1024 * 1024, checks: 1, over: 0 });
    const described = await d.tend(['describe', 'small']);
    assert.match(described.stdout, /^ {2}mem limit {2}200M$/m);
  });

  it("counts a grandchild's memory: the whole tree is measured and stopped", async () => {
    const d = await startDaemon(`
[program:family]
command = /bin/sh -c "/usr/bin/python3 ${HOG} 96 & wait"
startsecs = 0
memory_limit = 48MB
memory_limit_checks = 2
`);
    const events = await restarts(d);
    await events.waitFor('a memory restart', (es) => es.length > 0);
    const [event] = events.json<Restart>();
    events.close();
    const shell = Number((await d.waitForOutput(/spawned: 'family' with pid (\d+)/))[1]);
    assert.equal(event?.pid, shell, 'the shell itself holds little: the grandchild made it restart');
    assert.match(event.detail, /^memory \d+ MiB > limit 48 MiB$/);
    const rss = Number(/memory (\d+) MiB/.exec(event.detail)?.[1]);
    assert.ok(rss >= 96, `the tree's ${rss} MiB include the grandchild's 96 MiB`);
  });

  it('a limit below what the program needs at start backs off into FATAL (restart_limit), never a storm', async () => {
    const d = await startDaemon(`
[program:tight]
command = /usr/bin/python3 ${HOG} 64
startsecs = 0
memory_limit = 16MB
memory_limit_checks = 1
restart_limit = 3
restart_window = 600
`);
    const events = await restarts(d);
    await d.waitForState('tight', 'FATAL', 60_000);
    const delays = events.json<Restart>().map((e) => e.delayMs);
    events.close();
    assert.deepEqual(delays, [0, 1000, 2000], 'each memory restart in the loop waits longer');
    assert.match((await d.process('tight')).description, /crash loop: 3 restarts within 600s/);
    // The daemon's stdout may still be on its way when the API already answers FATAL.
    await d.waitForOutput(/gave up: tight entered FATAL state/);
    assert.equal((d.output.match(/spawned: 'tight'/g) ?? []).length, 4);
  });
});
