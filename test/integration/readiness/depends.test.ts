// depends_on with real children: a chain where each program's first output comes after its
// dependency is ready (READY=1, sent after the first line), and dependents stop first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, startDaemon, TEND } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';
import { full } from './helpers.js';

describe('depends_on with real children', () => {
  it("B's first output line comes after A's READY=1, C's after B is RUNNING; stops go C, B, A", async () => {
    const d = await startDaemon(`
[program:c]
command = /bin/sh -c 'echo c:first >> %(here)s/order; trap "echo c:stop >> %(here)s/order; exit 0" TERM; while :; do sleep 0.1; done'
depends_on = b
startsecs = 0
priority = 1

[program:b]
command = /bin/sh -c 'echo b:first >> %(here)s/order; systemd-notify --ready; trap "echo b:stop >> %(here)s/order; exit 0" TERM; while :; do sleep 0.1; done'
depends_on = a
ready = notify
priority = 2

[program:a]
command = /bin/sh -c 'echo a:first >> %(here)s/order; sleep 1; echo a:ready >> %(here)s/order; systemd-notify --ready; trap "echo a:stop >> %(here)s/order; exit 0" TERM; while :; do sleep 0.1; done'
ready = notify
priority = 3
`);
    const b = await full(d, 'b');
    if (b.statename === 'STOPPED') assert.match(b.description, /^waiting for a \((STARTING|RUNNING)\)$/);
    const c = await full(d, 'c');
    if (c.statename === 'STOPPED') assert.match(c.description, /^waiting for b \(\w+\)$/);
    await d.waitFor('all RUNNING', (ps) => ps.every((p) => p.statename === 'RUNNING'));
    const order = path.join(d.dir, 'order');
    await d.waitFor('c:first', () => readFileSync(order, 'utf8').includes('c:first'));
    assert.deepEqual(readFileSync(order, 'utf8').trim().split('\n'), [
      'a:first',
      'a:ready',
      'b:first',
      'c:first',
    ]);
    assert.deepEqual((await full(d, 'c')).tend.dependsOn, ['b']);
    assert.equal(await d.stop(), 0);
    assert.deepEqual(readFileSync(order, 'utf8').trim().split('\n').slice(4), ['c:stop', 'b:stop', 'a:stop']);
  });

  it('a cycle is refused with file:line, by tend check and by the daemon', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(
      bad,
      '[supervisord]\n\n[program:a]\ncommand=/bin/true\ndepends_on=b\n\n[program:b]\ncommand=/bin/true\ndepends_on=a\n',
    );
    const expected = /bad\.conf:5: \[program:a\] depends_on = "b": dependency cycle: a → b → a/;
    const check = await run(process.execPath, [TEND, '-c', bad, 'check'], { cwd: dir });
    assert.equal(check.code, 2, `tend check: ${check.stdout}${check.stderr}`);
    assert.match(check.stderr, expected);
    const daemon = await run(process.execPath, [TEND, '-c', bad, 'daemon'], { cwd: dir });
    assert.equal(daemon.code, 2, `tend daemon: ${daemon.stdout}${daemon.stderr}`);
    assert.match(daemon.stderr, expected);
  });
});
