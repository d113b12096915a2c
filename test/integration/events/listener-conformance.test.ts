import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onBoth, type Session } from '../../helpers/conformance.js';
import { fixture } from '../../helpers/daemon.js';

// supervisord's event-listener protocol, side by side: the same config runs under the real
// supervisord 4.2.5 and under tend, with an event listener written with supervisor's own
// childutils (run by Debian's /usr/bin/python3) that records every header and payload it gets.
// The scenario has a crash and its restart, a FATAL, PROCESS_LOG events on stdout and stderr, a
// capture-mode communication block, sendRemoteCommEvent, a listener that answers FAIL once (the
// event must come again, with the same serials), and TICK_5. The recordings must match once pids,
// serials and times are masked and what legitimately runs in parallel is put in order: each
// process's events in their own sequence, log output compared as one text per stream (where a
// read ends depends on timing).

interface Recorded {
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

const config = `
[eventlistener:rec]
command = ${fixture('record-listener.py')} %(here)s/rec.jsonl --fail-once REMOTE_COMMUNICATION
events = PROCESS_STATE,PROCESS_LOG,PROCESS_COMMUNICATION,REMOTE_COMMUNICATION,TICK_5,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE
buffer_size = 100

[program:crash]
command = ${fixture('crash-once.sh')} %(here)s/crashed
startsecs = 1
stderr_events_enabled = true

[program:fatal]
command = /bin/sh -c "exit 1"
startsecs = 1
startretries = 1

[program:talker]
command = ${fixture('comm-talker.sh')}
startsecs = 1
stdout_events_enabled = true
stdout_capture_maxbytes = 1MB
`;

const records = (s: Session): Recorded[] => {
  const file = path.join(s.server.dir, 'rec.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Recorded);
};

const count = (all: readonly Recorded[], type: string, payload = ''): number =>
  all.filter((r) => r.headers.eventname === type && r.payload.includes(payload)).length;

/** Everything the scenario produces has reached the listener. */
const complete = (all: readonly Recorded[]): boolean =>
  count(all, 'PROCESS_STATE_FATAL', 'processname:fatal') === 1 &&
  count(all, 'PROCESS_STATE_RUNNING', 'processname:crash') === 2 &&
  count(all, 'PROCESS_STATE_RUNNING', 'processname:talker') === 1 &&
  count(all, 'PROCESS_COMMUNICATION_STDOUT') === 1 &&
  count(all, 'REMOTE_COMMUNICATION') === 2 &&
  count(all, 'TICK_5') >= 1;

const waitForRecords = async (s: Session): Promise<Recorded[]> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const all = records(s);
    if (complete(all)) return all;
    if (Date.now() > deadline) {
      throw new Error(
        `${s.server.kind}: the listener got only:\n${all.map((r) => JSON.stringify(r)).join('\n')}`,
      );
    }
    await sleep(200);
  }
};

/** The recording with what legitimately differs masked and parallel sequences separated. */
const normalize = (all: readonly Recorded[]) => {
  const perProcess = new Map<string, string[]>();
  const output = new Map<string, string>();
  const daemon: string[] = [];
  // Whenever the clock says: relative to everything else, a tick comes when it comes.
  const ticks = new Set<string>();
  for (const { headers, payload } of all) {
    const type = headers.eventname ?? '';
    assert.equal(Number(headers.len), Array.from(payload).length, `len of ${type} counts characters`);
    assert.deepEqual([headers.ver, headers.server, headers.pool], ['3.0', 'supervisor', 'rec']);
    const masked = payload.replace(/pid:\d+/g, 'pid:<PID>');
    const proc = /^processname:(\S+)/.exec(payload)?.[1];
    if (type.startsWith('PROCESS_LOG_')) {
      const [head, ...data] = masked.split('\n');
      const key = head ?? '';
      output.set(key, (output.get(key) ?? '') + data.join('\n'));
    } else if (type === 'TICK_5') {
      assert.equal(Number(/^when:(\d+)$/.exec(payload)?.[1]) % 5, 0, payload);
      ticks.add('TICK_5 when:<WHEN>');
    } else if (proc !== undefined) {
      // A communication block is read whenever it comes, relative to the process's own states.
      const key = type.startsWith('PROCESS_COMMUNICATION_') ? `${proc} (communication)` : proc;
      perProcess.set(key, [...(perProcess.get(key) ?? []), `${type} ${masked}`]);
    } else {
      daemon.push(`${type} ${masked}`);
    }
  }
  return {
    daemon,
    ticks: [...ticks],
    processes: Object.fromEntries([...perProcess].sort(([a], [b]) => (a < b ? -1 : 1))),
    output: Object.fromEntries([...output].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
};

describe('event listeners, side by side with supervisord', () => {
  it('a childutils listener receives the same headers and payloads from tend as from supervisord', async (t) => {
    if (!existsSync('/usr/lib/python3/dist-packages/supervisor/childutils.py')) {
      t.skip("needs Debian's supervisor package (supervisor.childutils for /usr/bin/python3)");
      return;
    }
    const recorded = new Map<string, Recorded[]>();
    const sessions = await onBoth(t, config, async (s) => {
      await s.waitState('rec', 'RUNNING');
      await s.waitState('talker', 'RUNNING');
      await s.call('supervisor.sendRemoteCommEvent', 'failme', 'remote data\nwith two lines');
      const all = await waitForRecords(s);
      recorded.set(s.server.kind, all);
      s.note(JSON.stringify(normalize(all), null, 1));
    });
    if (sessions === null) return;
    // FAIL once: the same event (same serial and poolserial) comes again, and nothing else between.
    for (const [kind, all] of recorded) {
      const remote = all.filter((r) => r.headers.eventname === 'REMOTE_COMMUNICATION');
      assert.equal(remote.length, 2, kind);
      assert.deepEqual(remote[0], remote[1], `${kind}: the rejected event came back as it was`);
      const at = all.indexOf(remote[0] as Recorded);
      assert.equal(all[at + 1], remote[1], `${kind}: it came back first`);
      const serials = all.map((r) => Number(r.headers.poolserial));
      assert.ok(
        serials.every(
          (n, i) => i === 0 || n === (serials[i - 1] ?? 0) + 1 || (n === serials[i - 1] && i === at + 1),
        ),
        `${kind}: poolserials count up by one (${serials.join(',')})`,
      );
    }
  });
});
