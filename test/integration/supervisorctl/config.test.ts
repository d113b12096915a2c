import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fixture } from '../../helpers/daemon.js';
import { onBoth, type Session } from '../../helpers/conformance.js';

// reread, update, avail, add and remove through the stock supervisorctl, compared with
// supervisord; then what tend does better: `update` restarts only the members that changed.

const program = (name: string, extra = ''): string => `
[program:${name}]
command = ${fixture('forever.sh')}
startsecs = 0
${extra}`;

const config = [
  program('keep'),
  program('change'),
  program('drop'),
  program('manual', 'autostart = false'),
  '\n[group:pool]\nprograms = p1,p2\n',
  program('p1'),
  program('p2'),
].join('');

const edit = (s: Session, change: (text: string) => string): void => {
  writeFileSync(s.server.conf, change(readFileSync(s.server.conf, 'utf8')));
};

const changed = (text: string): string =>
  text
    .replace(/\[program:drop\][^[]*/, '')
    .replace('[program:change]', '[program:change]\nenvironment = NEW="1"')
    .replace('[program:p1]', '[program:p1]\nenvironment = NEW="1"')
    .concat(program('added'));

const pids = async (s: Session): Promise<Record<string, number>> =>
  Object.fromEntries((await s.info()).map((p) => [`${p.group}:${p.name}`, p.pid]));

const allRunning = (s: Session, n: number): Promise<void> =>
  s.waitFor(`${n} running`, (ps) => ps.filter((p) => p.statename === 'RUNNING').length === n);

describe('supervisorctl reread, update, avail, add, remove', () => {
  it('rereads and updates group by group with supervisord output; tend keeps unchanged members running', async (t) => {
    const before = new Map<string, Record<string, number>>();
    const sessions = await onBoth(t, config, async (s) => {
      await allRunning(s, 5);
      for (const command of ['avail', 'reread', 'update', 'avail accepts', 'reread now'])
        await s.ctl(command);
      edit(s, changed);
      const unread = await pids(s);
      await s.ctl('reread');
      s.note(
        `reread left every pid alone: ${String(JSON.stringify(await pids(s)) === JSON.stringify(unread))}`,
      );
      await s.ctl('status');
      await s.ctl('avail');
      // From another connection, a group stop after a reread means the whole group.
      await s.ctl('stop pool:*', { unordered: true });
      await s.ctl('start pool:*');
      before.set(s.server.kind, await pids(s));
      await s.ctl('update nosuch');
      await s.ctl('update pool');
      await allRunning(s, 5);
      await s.ctl('status');
      await s.ctl('update all');
      await allRunning(s, 5);
      await s.ctl('status');
      await s.ctl('reread');
      await s.ctl('update');
    });
    if (sessions === null) return;
    const after = await pids(sessions.tend);
    const old = before.get('tend') ?? {};
    assert.equal(after['keep:keep'], old['keep:keep'], 'keep was not touched');
    assert.equal(after['pool:p2'], old['pool:p2'], 'p2 (unchanged member of a changed group) kept its pid');
    assert.notEqual(after['pool:p1'], old['pool:p1'], 'p1 changed and was restarted');
    assert.notEqual(after['change:change'], old['change:change'], 'change was restarted');
    const sd = await pids(sessions.supervisord);
    const sdOld = before.get('supervisord') ?? {};
    assert.notEqual(sd['pool:p2'], sdOld['pool:p2'], 'supervisord restarts the whole changed group');
  });

  it('adds and removes groups, refusing what is active or running', async (t) => {
    await onBoth(t, config, async (s) => {
      await allRunning(s, 5);
      for (const command of [
        'add keep',
        'add nosuch',
        'remove keep',
        'remove nosuch',
        'remove manual',
        'status manual',
        'avail',
        'add manual',
        'status manual',
        'stop pool:*',
        'remove pool',
        'status',
        'add pool',
        'add',
        'remove',
      ]) {
        await s.ctl(command, { unordered: command === 'stop pool:*' });
      }
      await allRunning(s, 5);
      await s.ctl('status');
    });
  });

  it('reports a broken config on reread and update without changing anything', async (t) => {
    await onBoth(t, config, async (s) => {
      await allRunning(s, 5);
      edit(s, (text) => `${text}\n[program:bad]\ncommand = /bin/true\nstartsecs = soon\n`);
      await s.ctl('reread');
      await s.ctl('update');
      await s.ctl('status');
      await s.ctl('avail');
    });
  });
});
