import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCall } from '../../../src/api/xmlrpc/encode.js';
import type { XmlRpcValue } from '../../../src/api/xmlrpc/values.js';
import { fixture } from '../../helpers/daemon.js';
import { normalize, onBoth, type Session } from '../../helpers/conformance.js';
import { rawPost, rpc } from '../../helpers/xmlrpc.js';

// Tools that speak supervisord's XML-RPC directly (monitoring scripts, Ansible, cesi) see the same
// answers from tend: every method, its faults, introspection, multicall, log offsets, and the raw
// bytes of the responses. Each call runs on both servers; the recorded answers must be equal.

const config = `
[program:web]
command = ${fixture('stderr.sh')}
startsecs = 0

[program:idle]
command = ${fixture('forever.sh')}
autostart = false

[program:quiet]
command = ${fixture('forever.sh')}
startsecs = 0
stdout_logfile = NONE

[program:echo]
command = /bin/cat
startsecs = 0

[group:pair]
programs = echo,quiet
`;

const mask = (s: Session, text: string): string =>
  normalize(text, s.server.dir)
    .replace(/---supervisor-[a-z0-9_]+\.log/g, '---supervisor-<RANDOM>.log')
    .replace(/"(start|stop|now|pid)":[1-9]\d*/g, '"$1":<N>')
    .replace(/(<name>(?:start|stop|now|pid)<\/name>\n<value><int>)[1-9]\d*/g, '$1<N>');

const record = async (s: Session, method: string, ...params: XmlRpcValue[]): Promise<void> => {
  const res = await rpc(s.target, method, ...params);
  s.note(`${method}(${JSON.stringify(params)}) → ${mask(s, JSON.stringify(res.fault ?? res.value))}`);
};

// supervisord lists a group stop's results in the order its children happen to be reaped, which
// varies from run to run; such a result is recorded sorted by process name.
const recordUnordered = async (s: Session, method: string, ...params: XmlRpcValue[]): Promise<void> => {
  const res = await rpc(s.target, method, ...params);
  const shown =
    res.fault !== null
      ? res.fault
      : Array.isArray(res.value)
        ? [...(res.value as { name: string }[])].sort((a, b) => a.name.localeCompare(b.name))
        : res.value;
  s.note(`${method}(${JSON.stringify(params)}) unordered → ${mask(s, JSON.stringify(shown))}`);
};

const recordRaw = async (s: Session, label: string, body: string, path = '/RPC2'): Promise<void> => {
  const res = await rawPost(s.target, body, {}, path);
  s.note(`${label} → HTTP ${res.status} ${res.status === 200 ? mask(s, res.body.toString()) : ''}`);
};

const running = (s: Session): Promise<void> =>
  s.waitFor('web, echo, quiet running', (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 3);

describe('XML-RPC as supervisord answers it', () => {
  it('introspection: the 41 methods, their help and signatures', async (t) => {
    const sessions = await onBoth(t, config, async (s) => {
      const names = (await s.call('system.listMethods')) as string[];
      s.note(JSON.stringify(names));
      for (const name of [...names, 'supervisor.nosuch']) {
        await record(s, 'system.methodHelp', name);
        await record(s, 'system.methodSignature', name);
      }
    });
    if (sessions !== null)
      assert.equal((JSON.parse(sessions.tend.transcript[0] ?? '[]') as string[]).length, 41);
  });

  it('daemon and process information, byte for byte', async (t) => {
    await onBoth(t, config, async (s) => {
      await running(s);
      for (const method of [
        'supervisor.getAPIVersion',
        'supervisor.getVersion',
        'supervisor.getSupervisorVersion',
        'supervisor.getIdentification',
        'supervisor.getState',
      ]) {
        await recordRaw(s, method, encodeCall(method, []));
      }
      await recordRaw(s, 'getProcessInfo web', encodeCall('supervisor.getProcessInfo', ['web']));
      await recordRaw(s, 'getProcessInfo pair:echo', encodeCall('supervisor.getProcessInfo', ['pair:echo']));
      await recordRaw(s, 'getProcessInfo nosuch', encodeCall('supervisor.getProcessInfo', ['nosuch']));
      await record(s, 'supervisor.getProcessInfo', 'pair:*');
      await record(s, 'supervisor.getProcessInfo', 'pair');
      await record(s, 'supervisor.getAllProcessInfo');
      await record(s, 'supervisor.getAllConfigInfo');
    });
  });

  it('faults: unknown methods, arity, bad names, signals, states', async (t) => {
    await onBoth(t, config, async (s) => {
      await running(s);
      await record(s, 'supervisor.nosuch');
      await record(s, 'nosuch.getState');
      await record(s, 'supervisor.getState.extra');
      await record(s, 'supervisor._update', 'x');
      await record(s, 'system._listMethods');
      await record(s, 'supervisor.getProcessInfo');
      await record(s, 'supervisor.getProcessInfo', 'a', 'b');
      await record(s, 'supervisor.startProcess', 'web');
      await record(s, 'supervisor.startProcess', 'nosuch');
      await record(s, 'supervisor.startProcessGroup', 'nosuch');
      await record(s, 'supervisor.stopProcess', 'idle');
      await record(s, 'supervisor.stopProcessGroup', 'nosuch');
      await record(s, 'supervisor.signalProcess', 'web', 'FOO');
      await record(s, 'supervisor.signalProcess', 'idle', 'HUP');
      await record(s, 'supervisor.signalProcessGroup', 'pair', 'FOO');
      await record(s, 'supervisor.signalProcessGroup', 'nosuch', 'HUP');
      await record(s, 'supervisor.sendProcessStdin', 'idle', 'x');
      await record(s, 'supervisor.sendProcessStdin', 'nosuch', 'x');
      await record(s, 'supervisor.sendProcessStdin', 'pair:echo', 5);
      await record(s, 'supervisor.sendProcessStdin', 'pair:echo', 'hello\n');
      await record(s, 'supervisor.sendRemoteCommEvent', 'type', 'data');
      await record(s, 'supervisor.addProcessGroup', 'web');
      await record(s, 'supervisor.addProcessGroup', 'nosuch');
      await record(s, 'supervisor.removeProcessGroup', 'web');
      await record(s, 'supervisor.removeProcessGroup', 'nosuch');
      await recordUnordered(s, 'supervisor.stopProcess', 'pair:*');
      await record(s, 'supervisor.startProcess', 'pair:*', false);
    });
  });

  it('multicall: results unwrapped, faults inline, no recursion', async (t) => {
    await onBoth(t, config, async (s) => {
      await running(s);
      await record(s, 'system.multicall', [
        { methodName: 'supervisor.getAPIVersion', params: [] },
        { methodName: 'supervisor.getProcessInfo', params: ['nosuch'] },
        { methodName: 'system.multicall', params: [[]] },
        { params: [] },
        { methodName: 'supervisor.getIdentification' },
        { methodName: 'supervisor.stopProcess', params: ['web'] },
        { methodName: 'supervisor.startProcess', params: ['web'] },
      ]);
      await record(s, 'system.multicall', []);
    });
  });

  it('log reads and tails with supervisord offsets and overflow flags', async (t) => {
    await onBoth(t, config, async (s) => {
      await running(s);
      await s.waitFor(
        'web wrote',
        async () => (await s.call('supervisor.readProcessStderrLog', 'web', 0, 0)) !== '',
      );
      for (const [offset, length] of [
        [0, 0],
        [-4, 0],
        [-100, 0],
        [2, 3],
        [0, 100],
        [100, 0],
        [-4, 2],
        [0, -1],
      ] as const) {
        await record(s, 'supervisor.readProcessStdoutLog', 'web', offset, length);
      }
      await record(s, 'supervisor.readProcessStderrLog', 'web', -6, 0);
      await record(s, 'supervisor.readProcessLog', 'web', 0, 0);
      await record(s, 'supervisor.readProcessStdoutLog', 'pair:quiet', 0, 0);
      await record(s, 'supervisor.readProcessStdoutLog', 'nosuch', 0, 0);
      for (const [offset, length] of [
        [0, 5],
        [0, 100],
        [3, 2],
        [10, 5],
        [50, 5],
      ] as const) {
        await record(s, 'supervisor.tailProcessStdoutLog', 'web', offset, length);
      }
      await record(s, 'supervisor.tailProcessStderrLog', 'web', 0, 3);
      await record(s, 'supervisor.tailProcessLog', 'pair:quiet', 0, 100);
      await record(s, 'supervisor.readLog', -100, 5);
      await record(s, 'supervisor.readLog', 0, -1);
      await record(s, 'supervisor.clearProcessLogs', 'web');
      await record(s, 'supervisor.readProcessStdoutLog', 'web', 0, 0);
      await record(s, 'supervisor.clearProcessLog', 'nosuch');
      await record(s, 'supervisor.clearAllProcessLogs');
      await record(s, 'supervisor.clearLog');
    });
  });

  it('parses supervisord request dialect: bare values, i4, missing params, any /RPC2 path', async (t) => {
    await onBoth(t, config, async (s) => {
      await running(s);
      const call = (name: string, params: string): string =>
        `<?xml version="1.0"?><methodCall><methodName>${name}</methodName>${params}</methodCall>`;
      await recordRaw(s, 'no params', call('supervisor.getAPIVersion', ''));
      await recordRaw(s, 'empty params', call('supervisor.getAPIVersion', '<params/>'));
      await recordRaw(
        s,
        'bare value',
        call('supervisor.getProcessInfo', '<params><param><value>web</value></param></params>'),
      );
      await recordRaw(
        s,
        'i4 and boolean',
        call(
          'supervisor.readProcessStdoutLog',
          '<params><param><value><string>web</string></value></param><param><value><i4>-4</i4></value></param><param><value><int>0</int></value></param></params>',
        ),
      );
      await recordRaw(s, 'path suffix', call('supervisor.getAPIVersion', ''), '/RPC2/extra?x=1');
      await recordRaw(s, 'no methodName', '<?xml version="1.0"?><methodCall><params/></methodCall>');
      await recordRaw(s, 'empty methodName', call('', ''));
      await recordRaw(s, 'not XML', 'hello');
      s.note(`GET /RPC2 → HTTP ${(await rawPost(s.target, '', {}, '/RPC2', 'GET')).status}`);
      await recordRaw(
        s,
        'bad int',
        call('supervisor.readLog', '<params><param><value><int>x</int></value></param></params>'),
      );
    });
  });
});
