import { describe, it } from 'node:test';
import { fixture } from '../../helpers/daemon.js';
import { onBoth } from '../../helpers/conformance.js';

// `supervisorctl status` against tend and against supervisord: the same lines (pid/uptime,
// "Not started", "Exited too quickly …", stop dates) and the same exit codes (3 when something
// listed is not running, 4 for an unknown name).

const config = `
[program:web]
command = ${fixture('forever.sh')}
startsecs = 0

[program:idle]
command = ${fixture('forever.sh')}
autostart = false

[program:fail]
command = ${fixture('exit-with.sh')} 3
startsecs = 1
startretries = 0

[program:done]
command = ${fixture('exit-with.sh')} 0
startsecs = 0
autorestart = false

[program:workers]
command = ${fixture('forever.sh')}
process_name = %(program_name)s_%(process_num)d
numprocs = 2
startsecs = 0
`;

describe('supervisorctl status', () => {
  it('prints the same table and exit codes for tend as for supervisord', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitFor(
        'every process settled',
        (ps) =>
          ps.every((p) => ['RUNNING', 'FATAL', 'EXITED', 'STOPPED'].includes(p.statename)) &&
          ps.filter((p) => p.statename === 'RUNNING').length === 3,
      );
      for (const command of [
        'status',
        'status web',
        'status workers:*',
        'status workers:',
        'status workers:workers_1',
        'status workers',
        'status nosuch',
        'status nosuch:*',
        'status web workers:workers_0',
        'status web idle',
        'status fail done',
        'status all',
        'status web nosuch',
      ]) {
        await s.ctl(command);
      }
    });
  });
});
