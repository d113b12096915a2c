import { describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../../helpers/daemon.js';
import { onBoth, type Session } from '../../helpers/conformance.js';

// pid, version, reload, shutdown and the client's own errors, compared with supervisord.

const config = `
[program:web]
command = ${fixture('forever.sh')}
startsecs = 0

[program:idle]
command = ${fixture('forever.sh')}
autostart = false
`;

const gone = async (s: Session): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (existsSync(s.server.socket) && Date.now() < deadline) await sleep(100);
};

describe('supervisorctl pid, version, reload, shutdown', () => {
  it('answers pid and version, and rejects what supervisorctl rejects', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitState('web', 'RUNNING');
      for (const command of [
        'pid',
        'pid web',
        'pid idle',
        'pid nosuch',
        'pid web idle',
        'pid all',
        'version',
        'version 2',
        'frobnicate',
        'reload now',
        'shutdown now',
      ]) {
        await s.ctl(command);
      }
    });
  });

  it('reload restarts every program from the config, with the same daemon pid', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitState('web', 'RUNNING');
      await s.ctl('start idle');
      await s.ctl('stop web');
      const pid = await s.call('supervisor.getPID');
      await s.ctl('reload');
      await s.waitFor(
        'restarted',
        (ps) =>
          ps.some((p) => p.name === 'web' && p.statename === 'RUNNING') &&
          ps.some((p) => p.name === 'idle' && p.statename === 'STOPPED'),
      );
      await s.ctl('status');
      s.note(`same pid: ${String((await s.call('supervisor.getPID')) === pid)}`);
    });
  });

  it('shutdown stops the daemon; later commands find no server', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitState('web', 'RUNNING');
      await s.ctl('shutdown');
      await gone(s);
      await s.ctl('status');
      await s.ctl('start web');
      await s.ctl('shutdown');
    });
  });
});
