import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../helpers/daemon.js';
import { onBoth } from '../../helpers/conformance.js';

// tail (one-shot and -f), maintail, clear and fg through the stock supervisorctl, compared with
// supervisord. The main log's content is the daemon's own and differs, so for maintail only the
// shape of the answer is compared.

const config = `
[program:web]
command = ${fixture('stderr.sh')}
startsecs = 0

[program:quiet]
command = ${fixture('forever.sh')}
startsecs = 0
stdout_logfile = NONE

[program:echo]
command = /bin/cat
startsecs = 0
`;

const running = (n: number) => (ps: { statename: string }[]) =>
  ps.filter((p) => p.statename === 'RUNNING').length === n;

/** What maintail's answers have in common: the banner of -f, and that some log followed. */
const shape = (output: string): string => {
  const banner = output.startsWith('==> Press Ctrl-C to exit <==\n') ? '==> Press Ctrl-C to exit <==\n' : '';
  const rest = output.slice(banner.length);
  return `${banner}${/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} /.test(rest) ? '<main log lines>\n' : rest}`;
};

describe('supervisorctl tail, maintail, clear, fg', () => {
  it('tails stdout and stderr, by bytes, and reports every error as supervisord does', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitFor('all running', running(3));
      await s.waitFor(
        'web wrote',
        async () => (await s.call('supervisor.readProcessStderrLog', 'web', 0, 0)) !== '',
      );
      for (const command of [
        'tail web',
        'tail web stderr',
        'tail web STDOUT',
        'tail -4 web',
        'tail -4 web stderr',
        'tail',
        'tail a b c d',
        'tail web foo',
        'tail -x web',
        'tail nosuch',
        'tail web:*',
        'tail quiet',
      ]) {
        await s.ctl(command);
      }
    });
  });

  it('follows a log with tail -f until Ctrl-C', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitFor('all running', running(3));
      await s.waitFor(
        'web wrote',
        async () => (await s.call('supervisor.readProcessStderrLog', 'web', 0, 0)) !== '',
      );
      await s.ctl('tail -f web', { interruptWhen: /to stdout/, interruptAfterMs: 20_000 });
      await s.ctl('tail -f web stderr', { interruptWhen: /to stderr/, interruptAfterMs: 20_000 });
      // Without a log to follow these end by themselves (exit 0); the interrupt is only a deadline.
      await s.ctl('tail -f nosuch', { interruptAfterMs: 20_000 });
      await s.ctl('tail -f quiet', { interruptAfterMs: 20_000 });
    });
  });

  it('shows the main log with maintail and maintail -f', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitFor('all running', running(3));
      await s.ctl('maintail', { keep: shape });
      await s.ctl('maintail -200', { keep: shape });
      await s.ctl('maintail -f', {
        interruptWhen: /,\d{3} [A-Z]{4} /,
        interruptAfterMs: 20_000,
        keep: shape,
      });
      await s.ctl('maintail foo');
      await s.ctl('maintail -x');
      await s.ctl('maintail -1 -2');
    });
  });

  it('clears logs of one process or all', async (t) => {
    await onBoth(t, config, async (s) => {
      await s.waitFor('all running', running(3));
      await s.waitFor(
        'web wrote',
        async () => (await s.call('supervisor.readProcessStderrLog', 'web', 0, 0)) !== '',
      );
      for (const command of [
        'clear web',
        'tail web',
        'tail web stderr',
        'clear nosuch',
        'clear',
        'clear all',
      ]) {
        await s.ctl(command);
      }
    });
  });

  it('attaches with fg: input goes to the program, its output comes back', async (t) => {
    const sessions = await onBoth(t, config, async (s) => {
      await s.waitFor('all running', running(3));
      await s.ctl('fg');
      await s.ctl('fg web echo');
      await s.ctl('fg nosuch');
      // Ctrl-C once fg is attached, not at a fixed time a loaded machine may still be starting Python at.
      await s.ctl('fg quiet', {
        input: 'x\n',
        interruptWhen: /Press Ctrl-C to exit/,
        interruptAfterMs: 20_000,
        lingerMs: 1500,
      });
      await s.ctl('fg echo', {
        input: 'hello from fg\n',
        interruptWhen: /hello from fg/,
        interruptAfterMs: 20_000,
        lingerMs: 1500,
      });
    });
    if (sessions !== null)
      assert.match(sessions.tend.transcript.at(-1) ?? '', /hello from fg\n.*Exiting foreground/s);
  });
});
