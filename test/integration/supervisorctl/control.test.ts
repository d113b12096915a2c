import { describe, it } from 'node:test';
import { fixture } from '../../helpers/daemon.js';
import { onBoth } from '../../helpers/conformance.js';

// start, stop, restart and signal through the stock supervisorctl: one name, a group, `all`,
// and every error supervisorctl knows (no such process/group/file, not executable, already
// started, spawn error, not running, bad signal), with supervisord's lines and exit codes. `fail`
// lives 0.3 s: a program that dies within microseconds of its spawn is reported first or last by
// supervisord depending on whether its own reap() caught it, so no order could be compared.

const config = `
[program:web]
command = ${fixture('forever.sh')}
startsecs = 0

[program:idle]
command = ${fixture('forever.sh')}
autostart = false

[program:fail]
command = ${fixture('sleep-then-exit.sh')} 0.3 3
startsecs = 1
startretries = 0
autostart = false

[program:missing]
command = /nonexistent/program
autostart = false

[program:notexec]
command = %(here)s/notexec.sh
autostart = false

[program:workers]
command = ${fixture('forever.sh')}
process_name = %(program_name)s_%(process_num)d
numprocs = 2
startsecs = 0
`;

const files = { 'notexec.sh': '#!/bin/sh\nexit 0\n' };

describe('supervisorctl start, stop, restart, signal', () => {
  it('acts and answers as supervisord does, process by process', async (t) => {
    await onBoth(
      t,
      config,
      async (s) => {
        await s.waitFor(
          'web and workers running',
          (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 3,
        );
        for (const command of [
          'start',
          'start web',
          'start nosuch',
          'start nosuch:*',
          'start missing',
          'start notexec',
          'start fail',
          'stop idle',
          'start idle',
          'stop idle',
          'stop nosuch',
          'stop nosuch:*',
          'stop',
          ['stop workers:*', { unordered: true }],
          'start workers:*',
          'restart web',
          ['restart workers:*', { unordered: true }],
          'restart',
          'restart web idle',
          'stop idle',
        ] as const) {
          if (typeof command === 'string') await s.ctl(command);
          else await s.ctl(command[0], command[1]);
        }
      },
      { files },
    );
  });

  it('signals one process, a group or all, and reports bad signals and stopped processes', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitFor(
        'web and workers running',
        (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 3,
      );
      for (const command of [
        'signal',
        'signal HUP',
        'signal HUP web',
        'signal SIGUSR1 web',
        'signal 10 web',
        'signal FOO web',
        'signal HUP idle',
        'signal HUP nosuch',
        'signal USR1 nosuch:*',
        'signal USR1 workers:*',
        'signal HUP all',
        'signal KILL workers:workers_1',
      ]) {
        await s.ctl(command);
      }
    });
  });

  it('starts and stops everything with `all`, listing results in supervisord order', async (t) => {
    await onBoth(
      t,
      config,
      async (s) => {
        await s.waitFor(
          'web and workers running',
          (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 3,
        );
        await s.ctl('stop all', { unordered: true });
        await s.ctl('status');
        await s.ctl('start all');
        await s.waitState('fail', 'FATAL');
        await s.ctl('status');
        await s.ctl('stop all', { unordered: true });
        await s.ctl('stop all');
      },
      { files },
    );
  });
});
