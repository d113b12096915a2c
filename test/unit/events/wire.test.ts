import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  decodeOutput,
  envelope,
  payloadOf,
  pyBytesRepr,
  pyLength,
  type EventBody,
  type TendEvent,
} from '../../../src/events/index.js';
import { PROCESS_STATE_NAMES, type ProcessState } from '../../../src/process/states.js';

// supervisord's payloads, checked two ways: against the expected text here, and against what the
// real supervisor.events module (Debian's supervisor 4.2.5, run by /usr/bin/python3) writes for
// the same inputs.

const stamp = (body: EventBody): TendEvent => ({ ...body, serial: 7, time: 0 });

const stateEvent = (to: ProcessState, from: ProcessState, expected = true): TendEvent =>
  stamp({
    type: `PROCESS_STATE_${to}`,
    group: 'grp',
    name: 'web',
    from,
    to,
    pid: 42,
    tries: 2,
    expected,
    exitStatus: null,
    spawnerr: '',
  });

const output = (type: 'PROCESS_LOG_STDOUT' | 'PROCESS_COMMUNICATION_STDERR', bytes: Buffer): TendEvent =>
  stamp({
    type,
    group: 'grp',
    name: 'web',
    pid: 42,
    channel: type.endsWith('STDOUT') ? 'stdout' : 'stderr',
    data: decodeOutput(bytes),
  });

// [case, event, payload as supervisord writes it, the Python expression that makes it]
const CASES: [string, TendEvent, string, string][] = [
  [
    'STARTING',
    stateEvent('STARTING', 'BACKOFF'),
    'processname:web groupname:grp from_state:BACKOFF tries:2',
    'ProcessStateStartingEvent(p, S.BACKOFF)',
  ],
  [
    'BACKOFF',
    stateEvent('BACKOFF', 'STARTING'),
    'processname:web groupname:grp from_state:STARTING tries:2',
    'ProcessStateBackoffEvent(p, S.STARTING)',
  ],
  [
    'RUNNING',
    stateEvent('RUNNING', 'STARTING'),
    'processname:web groupname:grp from_state:STARTING pid:42',
    'ProcessStateRunningEvent(p, S.STARTING)',
  ],
  [
    'STOPPING',
    stateEvent('STOPPING', 'RUNNING'),
    'processname:web groupname:grp from_state:RUNNING pid:42',
    'ProcessStateStoppingEvent(p, S.RUNNING)',
  ],
  [
    'STOPPED',
    stateEvent('STOPPED', 'STOPPING'),
    'processname:web groupname:grp from_state:STOPPING pid:42',
    'ProcessStateStoppedEvent(p, S.STOPPING)',
  ],
  [
    'EXITED expected',
    stateEvent('EXITED', 'RUNNING'),
    'processname:web groupname:grp from_state:RUNNING expected:1 pid:42',
    'ProcessStateExitedEvent(p, S.RUNNING, True)',
  ],
  [
    'EXITED unexpected',
    stateEvent('EXITED', 'RUNNING', false),
    'processname:web groupname:grp from_state:RUNNING expected:0 pid:42',
    'ProcessStateExitedEvent(p, S.RUNNING, False)',
  ],
  [
    'FATAL',
    stateEvent('FATAL', 'BACKOFF'),
    'processname:web groupname:grp from_state:BACKOFF',
    'ProcessStateFatalEvent(p, S.BACKOFF)',
  ],
  [
    'UNKNOWN',
    stateEvent('UNKNOWN', 'STOPPING'),
    'processname:web groupname:grp from_state:STOPPING',
    'ProcessStateUnknownEvent(p, S.STOPPING)',
  ],
  [
    'log text',
    output('PROCESS_LOG_STDOUT', Buffer.from('hello\nwörld\n')),
    'processname:web groupname:grp pid:42 channel:stdout\nhello\nwörld\n',
    "ProcessLogStdoutEvent(p, 42, 'hello\\nwörld\\n'.encode())",
  ],
  [
    'log undecodable',
    output('PROCESS_LOG_STDOUT', Buffer.from([0x63, 0xc3, 0x27, 0x22, 0x5c, 0x09, 0x7f, 0x0a])),
    `processname:web groupname:grp pid:42 channel:stdout\nUndecodable: b'c\\xc3\\'"\\\\\\t\\x7f\\n'`,
    "ProcessLogStdoutEvent(p, 42, b'c\\xc3\\'\"\\\\\\t\\x7f\\n')",
  ],
  [
    'log quote choice',
    output('PROCESS_LOG_STDOUT', Buffer.from([0xff, 0x27])),
    `processname:web groupname:grp pid:42 channel:stdout\nUndecodable: b"\\xff'"`,
    'ProcessLogStdoutEvent(p, 42, b"\\xff\'")',
  ],
  [
    'log BOM kept',
    output('PROCESS_LOG_STDOUT', Buffer.from([0xef, 0xbb, 0xbf, 0x41])),
    'processname:web groupname:grp pid:42 channel:stdout\n\ufeffA',
    "ProcessLogStdoutEvent(p, 42, b'\\xef\\xbb\\xbfA')",
  ],
  [
    'communication',
    output('PROCESS_COMMUNICATION_STDERR', Buffer.from('a b\n')),
    'processname:web groupname:grp pid:42\na b\n',
    "ProcessCommunicationStderrEvent(p, 42, b'a b\\n')",
  ],
  [
    'remote',
    stamp({ type: 'REMOTE_COMMUNICATION', remoteType: 'kind', data: 'x y' }),
    'type:kind\nx y',
    "RemoteCommunicationEvent('kind', 'x y')",
  ],
  [
    'running',
    stamp({ type: 'SUPERVISOR_STATE_CHANGE_RUNNING', state: 'RUNNING' }),
    '',
    'SupervisorRunningEvent()',
  ],
  [
    'stopping',
    stamp({ type: 'SUPERVISOR_STATE_CHANGE_STOPPING', state: 'SHUTDOWN' }),
    '',
    'SupervisorStoppingEvent()',
  ],
  [
    'group added',
    stamp({ type: 'PROCESS_GROUP_ADDED', group: 'grp' }),
    'groupname:grp\n',
    "ProcessGroupAddedEvent('grp')",
  ],
  [
    'group removed',
    stamp({ type: 'PROCESS_GROUP_REMOVED', group: 'grp' }),
    'groupname:grp\n',
    "ProcessGroupRemovedEvent('grp')",
  ],
  [
    'tick',
    stamp({ type: 'TICK_60', when: 1_700_000_040 }),
    'when:1700000040',
    'Tick60Event(1700000040, None)',
  ],
];

describe('listener payloads', () => {
  for (const [name, event, expected] of CASES) {
    it(`${name}: ${JSON.stringify(expected)}`, () => {
      assert.equal(payloadOf(event), expected);
    });
  }

  it('every process state has its payload form', () => {
    for (const to of PROCESS_STATE_NAMES)
      assert.match(payloadOf(stateEvent(to, 'STOPPED')), /^processname:web groupname:grp from_state:STOPPED/);
  });

  it('matches what supervisor.events (4.2.5) writes for the same events', (t) => {
    if (!existsSync('/usr/lib/python3/dist-packages/supervisor/events.py')) {
      t.skip("needs Debian's supervisor package (supervisor.events for /usr/bin/python3)");
      return;
    }
    const script = [
      'import json, sys',
      'from supervisor.events import *',
      'from supervisor.states import ProcessStates as S',
      'class C: pass',
      "p = C(); p.config = C(); p.config.name = 'web'; p.group = C(); p.group.config = C(); p.group.config.name = 'grp'; p.pid = 42; p.backoff = 2",
      `print(json.dumps([${CASES.map(([, , , py]) => `${py}.payload()`).join(', ')}]))`,
    ].join('\n');
    const result = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const python = JSON.parse(result.stdout) as string[];
    assert.deepEqual(
      CASES.map(([name, event]) => [name, payloadOf(event)]),
      CASES.map(([name], i) => [name, python[i]]),
    );
  });
});

describe('envelope', () => {
  it("writes supervisord's header, with len counting characters, not bytes", () => {
    const payload = 'processname:web groupname:web pid:1 channel:stdout\né😀';
    const text = envelope({
      server: 'supervisor',
      serial: 12,
      pool: 'p',
      poolSerial: 3,
      type: 'PROCESS_LOG_STDOUT',
      payload,
    });
    assert.equal(
      text,
      `ver:3.0 server:supervisor serial:12 pool:p poolserial:3 eventname:PROCESS_LOG_STDOUT len:${payload.length - 1}\n${payload}`,
    );
    assert.equal(pyLength('é😀'), 2);
    assert.equal(pyLength('\ud800x'), 2, 'a lone surrogate is one unit');
  });

  it('writes bytes repr like Python', () => {
    assert.equal(pyBytesRepr(Buffer.from('a\rb\x00')), "b'a\\rb\\x00'");
    assert.equal(pyBytesRepr(Buffer.from('\'"')), "b'\\'\"'");
  });
});

describe("tend's rollout events on the wire", () => {
  it('carry key:value tokens childutils.get_headers can parse, then the detail', () => {
    const e = stamp({
      type: 'ROLLOUT_FAILED',
      group: 'web',
      program: 'web',
      rollout: 3,
      cause: 'reload',
      done: 1,
      total: 4,
      detail: 'web-surge did not get ready: not ready after 30s (ready = notify)',
    });
    const text = payloadOf(e);
    assert.equal(
      text,
      'groupname:web program:web rollout:3 cause:reload done:1 total:4\nweb-surge did not get ready: not ready after 30s (ready = notify)',
    );
    const headers = Object.fromEntries(
      (text.split('\n')[0] ?? '').split(' ').map((pair) => pair.split(':') as [string, string]),
    );
    assert.deepEqual(headers, {
      groupname: 'web',
      program: 'web',
      rollout: '3',
      cause: 'reload',
      done: '1',
      total: '4',
    });
  });
});
