import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, run, startDaemon, TEND, type Daemon } from '../../helpers/daemon.js';
import { normalize } from '../../helpers/conformance.js';
import { missingSupervisor, supervisorctl } from '../../helpers/supervisord.js';

// `tend VERB` and `supervisorctl VERB` say the same things with the same exit codes: the same
// scenario runs on two tend daemons, one driven by supervisorctl, one by the tend CLI. tend
// writes error lines to stderr (supervisorctl: stdout), so lines are compared as a set.

const config = `
[program:web]
command = ${fixture('stderr.sh')}
startsecs = 0

[program:idle]
command = ${fixture('forever.sh')}
autostart = false

[program:fail]
command = ${fixture('sleep-then-exit.sh')} 0.3 3
startsecs = 1
startretries = 0
autostart = false

[program:workers]
command = ${fixture('forever.sh')}
process_name = %(program_name)s_%(process_num)d
numprocs = 2
startsecs = 0
`;

const SCRIPT = [
  'status',
  'status web nosuch',
  'start',
  'start web',
  'start idle',
  'start fail',
  'start nosuch',
  'start nosuch:*',
  'stop idle',
  'stop idle',
  'stop nosuch:*',
  'stop workers:*',
  'start workers:*',
  'restart web',
  'signal HUP web',
  'signal FOO web',
  'signal HUP idle',
  'signal',
  'tail web',
  'tail web stderr',
  'tail -4 web',
  'tail nosuch',
  'tail web foo',
  'pid web',
  'pid idle',
  'pid nosuch',
  'pid all',
  'reread',
  'update',
  'add web',
  'add nosuch',
  'remove web',
  'remove nosuch',
  'clear web',
  'clear nosuch',
  'clear',
  'avail',
  'status',
];

type Runner = (command: string) => Promise<{ code: number | null; stdout: string; stderr: string }>;

const transcript = async (d: Daemon, exec: Runner): Promise<string[]> => {
  await d.waitFor('started', (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 3);
  const out: string[] = [];
  for (const command of SCRIPT) {
    const r = await exec(command);
    const lines = normalize(`${r.stdout}${r.stderr}`, d.dir)
      .split('\n')
      // supervisorctl follows a usage error with its help text, tend with a `--help` hint: both go.
      .filter(
        (l) =>
          l !== '' &&
          !/^(start|stop|signal|clear)(?: <|\s)/.test(l) &&
          !l.startsWith('\\t') &&
          !/^hint: tend [a-z-]+ --help$/.test(l),
      );
    out.push(`$ ${command} [exit ${String(r.code)}]\n${lines.sort().join('\n')}`);
  }
  return out;
};

describe('tend CLI: the verbs of supervisorctl', () => {
  it('prints the same lines and exits with the same codes as supervisorctl', async (t) => {
    const missing = missingSupervisor();
    if (missing !== null) {
      t.skip(`needs the real supervisorctl: ${missing}`);
      return;
    }
    const [a, b] = await Promise.all([startDaemon(config), startDaemon(config)]);
    const [ctl, tend] = await Promise.all([
      transcript(a, (command) => supervisorctl(a.conf, command.split(' '), { cwd: a.dir })),
      transcript(b, (command) =>
        run(process.execPath, [TEND, '-c', b.conf, ...command.split(' ')], { cwd: b.dir }),
      ),
    ]);
    if (process.env.TEND_SHOW_TRANSCRIPT !== undefined) console.log(ctl.join('\n'));
    assert.equal(tend.join('\n'), ctl.join('\n'));
  });
});
