import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture, run, startDaemon, TEND } from '../../helpers/daemon.js';

// `tend top` in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
// A process stopped by another client changes on screen; keys stop and start the selection.

const config = `
[program:api]
command = ${fixture('forever.sh')}
startsecs = 0

[program:worker]
command = ${fixture('forever.sh')}
startsecs = 0
`;

const tmux = (args: readonly string[]) => spawnSync('tmux', args, { encoding: 'utf8' });

describe('tend top', () => {
  it('redraws as processes change, and its keys act on the selected process', async (t) => {
    if (tmux(['-V']).status !== 0) {
      t.skip('needs tmux (Debian package tmux)');
      return;
    }
    const d = await startDaemon(config);
    await d.waitFor('running', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    const session = `tend-top-${process.pid}`;
    const socket = ['-L', session];
    const command = `NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(TEND)} -c ${d.conf} top --interval 0.3`;
    assert.equal(
      tmux([...socket, 'new-session', '-d', '-s', session, '-x', '120', '-y', '24', command]).status,
      0,
    );
    t.after(() => tmux([...socket, 'kill-server']));
    const screen = (): string => tmux([...socket, 'capture-pane', '-p', '-t', session]).stdout;
    const until = async (what: string, test: (s: string) => boolean): Promise<string> => {
      for (let i = 0; i < 300; i++) {
        const s = screen();
        if (test(s)) return s;
        await sleep(100);
      }
      return assert.fail(`screen never showed ${what}:\n${screen()}`);
    };
    const row = (name: string, state: string) => new RegExp(`^[> ] ${name} +${state} `, 'm');
    const first = await until(
      'both running',
      (s) => row('api', 'RUNNING').test(s) && row('worker', 'RUNNING').test(s),
    );
    assert.match(first, /^tend top {2}unix:\/\/\S+ {2}2 processes, 2 running {2}/m);
    assert.match(first, /^ {2}NAME +STATE +PID +UPTIME +RESTARTS +CPU +MEM +DESCRIPTION$/m);
    assert.match(first, /^q quit {2}↑\/↓ select {2}s stop {2}t start {2}r restart/m);

    assert.equal((await run(process.execPath, [TEND, '-c', d.conf, 'stop', 'worker'])).code, 0);
    await until('worker stopped elsewhere', (s) => row('worker', 'STOPPED').test(s) && /1 running/.test(s));

    tmux([...socket, 'send-keys', '-t', session, 'j', 't']);
    await until('worker started by its key', (s) => row('worker', 'RUNNING').test(s));
    tmux([...socket, 'send-keys', '-t', session, 'k', 's']);
    await until('api stopped by its key', (s) => /^> api +STOPPED /m.test(s));
    await d.waitForState('api', 'STOPPED');

    tmux([...socket, 'send-keys', '-t', session, 'q']);
    for (let i = 0; i < 100 && tmux([...socket, 'has-session', '-t', session]).status === 0; i++)
      await sleep(100);
    assert.notEqual(
      tmux([...socket, 'has-session', '-t', session]).status,
      0,
      'q ends tend top (and its session)',
    );
  });
});
