import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessHistory, ProcessInfo, ProcessStats } from '../../../src/protocol/process-info.js';
import { fixture, run, startDaemon, TEND } from '../../helpers/daemon.js';

// What the CLI shows about processes, against a real daemon and real children: the status table
// with the CPU and memory of whole process trees, describe, a follow that the daemon ends, and
// shell completion with the daemon's process names.

const config = `
[program:web]
command = ${fixture('forever.sh')}
startsecs = 0

[program:tree]
command = /bin/sh -c "${fixture('forever.sh')} & ${fixture('forever.sh')} & wait"
startsecs = 0

[program:busy]
command = /bin/sh -c "sh -c 'while :; do :; done' & wait"
startsecs = 0
autostart = false

[program:crash]
command = ${fixture('sleep-then-exit.sh')} 0.3 3
startsecs = 0
autorestart = true

[group:pool]
programs = p1
priority = 100

[program:p1]
command = ${fixture('forever.sh')}
startsecs = 0
`;

type Row = ProcessInfo & { tend: { restarts: number; stats: ProcessStats | null } };

const rows = async (d: Awaited<ReturnType<typeof startDaemon>>): Promise<Row[]> =>
  (await d.api<Row[]>('GET', '/api/v1/processes?tend=true')).body;

describe('tend status, describe, logs -f and completion', () => {
  it('status --long shows pid, uptime, restarts, CPU and memory of each whole process tree', async () => {
    const d = await startDaemon(config);
    await d.waitFor('running', (ps) =>
      ['web', 'tree', 'p1'].every((n) => ps.some((p) => p.name === n && p.statename === 'RUNNING')),
    );
    const long = await d.tend(['status', '--long', 'web', 'tree', 'busy', 'pool:*']);
    assert.equal(long.code, 3, long.stderr);
    const lines = long.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^NAME +STATE +PID +UPTIME +RESTARTS +CPU +MEM +DESCRIPTION$/);
    assert.match(lines[1] ?? '', /^web +RUNNING +\d+ +\d+s +0 +(\d+\.\d%|-) +\d+(\.\d)?[KM]$/);
    assert.match(lines[2] ?? '', /^tree +RUNNING +\d+ +\d+s +0 +(\d+\.\d%|-) +\d+(\.\d)?[KM]$/);
    assert.match(lines[3] ?? '', /^busy +STOPPED +- +- +0 +- +- +Not started$/);
    assert.match(lines[4] ?? '', /^pool:p1 +RUNNING +\d+ /);
    assert.equal(lines.length, 5);
    const tree = (await rows(d)).find((r) => r.name === 'tree')?.tend.stats;
    assert.ok(tree != null);
    assert.equal(tree.pids, 3, 'sh and its two children');
    assert.ok(tree.rssBytes > 0);
    // busy's root only waits: CPU shows up only if its descendants are counted.
    assert.equal((await d.tend(['start', 'busy'])).code, 0);
    let seen: ProcessStats | null = null;
    for (let i = 0; i < 200 && (seen?.cpuPercent ?? 0) === 0; i++) {
      await sleep(100);
      seen = (await rows(d)).find((r) => r.name === 'busy')?.tend.stats ?? null;
    }
    await d.tend(['stop', 'busy']);
    assert.ok((seen?.cpuPercent ?? 0) > 0, `the tree of busy used CPU: ${JSON.stringify(seen)}`);
    assert.equal(seen?.pids, 2);
  });

  it('describe shows config keys where they were written, restarts and the last exits', async () => {
    const d = await startDaemon(config);
    const history = async (): Promise<ProcessHistory> =>
      (await d.api<ProcessHistory>('GET', '/api/v1/processes/crash/history')).body;
    for (let i = 0; i < 400 && (await history()).exits.length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    const h = await history();
    assert.ok(h.restarts >= 1 && h.exits.length >= 2, JSON.stringify(h));
    const r = await d.tend(['describe', 'crash']);
    assert.equal(r.code, 0, r.stderr);
    // The line numbers of crash's keys in the file the daemon read.
    const text = readFileSync(d.conf, 'utf8').split('\n');
    const section = text.indexOf('[program:crash]') + 1;
    const lineOf = (key: string): number => text.indexOf(key, section) + 1;
    const out = r.stdout.split('\n');
    assert.match(out[0] ?? '', /^crash {2}[A-Z]+ {2}/);
    assert.match(r.stdout, /^ {2}restarts {3}\d+ automatic$/m);
    const command = `command = ${fixture('sleep-then-exit.sh')} 0.3 3`;
    const at = out.indexOf(`config [program:crash] at ${d.conf}:${section}`);
    assert.ok(at > 0, r.stdout);
    assert.deepEqual(
      out.slice(at + 1, at + 4),
      [command, 'startsecs = 0', 'autorestart = true'].map(
        (k) => `  ${k.padEnd(command.length)}  ${d.conf}:${lineOf(k)}`,
      ),
    );
    assert.match(r.stdout, /^exits \(oldest first\)$/m);
    assert.match(
      r.stdout,
      /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}pid \d+ {2}exit status 3, not expected, after \d+s$/m,
    );
    assert.match(
      r.stdout,
      /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}RUNNING -> EXITED {2}pid \d+ {2}\(Bad exit code 3\)$/m,
    );
    const json = JSON.parse((await d.tend(['describe', 'crash', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(json), ['info', 'tend', 'history', 'config']);
    const unknown = await d.tend(['describe', 'nosuch']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'tend: no such process: nosuch\n');
  });

  it('logs -f says why it ended and exits 69 when the daemon goes away', async () => {
    const d = await startDaemon(config);
    await d.waitForState('web', 'RUNNING');
    const child = spawn(process.execPath, [TEND, '-c', d.conf, 'logs', '-f', 'web'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const started = new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('forever pid')) resolve();
      });
    });
    const exited = once(child, 'exit');
    await started;
    assert.equal((await d.tend(['shutdown'])).code, 0);
    const [code] = (await exited) as [number];
    assert.equal(code, 69, JSON.stringify(stderr));
    assert.match(
      stderr,
      /^tend: (lost the daemon \(unix:\/\/\S+ (no such file|refused connection)\)|the daemon at \S+ is shutting down); stopped following\n$/,
    );
  });

  it('completes commands, and process names from the running daemon, in bash', async () => {
    const d = await startDaemon(config);
    const complete = async (line: string): Promise<string[]> => {
      const script = `source <(tend completion bash); COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}; _tend; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = await run('/bin/bash', [
        '-c',
        `tend() { ${JSON.stringify(process.execPath)} ${JSON.stringify(TEND)} "$@"; }; ${script}`,
      ]);
      assert.equal(r.stderr, '');
      return r.stdout
        .split('\n')
        .filter((l) => l !== '')
        .sort();
    };
    assert.deepEqual(await complete('tend st'), ['start', 'startup', 'status', 'stop']);
    assert.deepEqual(await complete(`tend -c ${d.conf} stop p`), ['pool:*', 'pool:p1']);
    assert.deepEqual(await complete(`tend -c ${d.conf} stop pool:`), ['*', 'p1']);
    assert.deepEqual(await complete(`tend -c ${d.conf} logs -`), [
      '--follow',
      '--grep',
      '--json',
      '--lines',
      '--since',
      '--stderr',
      '--stdout',
      '-f',
      '-n',
    ]);
    assert.deepEqual(await complete(`tend -c ${d.conf} signal H`), ['HUP']);
    assert.deepEqual(await complete(`tend -c ${d.conf} init s`), ['systemd']);
    const names = await d.tend(['completion', '--names']);
    assert.deepEqual(
      names.stdout
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
      ['busy', 'crash', 'pool:*', 'pool:p1', 'tree', 'web'],
    );
    const nowhere = await run(process.execPath, [
      TEND,
      '-s',
      'unix:///nonexistent/x.sock',
      'completion',
      '--names',
    ]);
    assert.deepEqual([nowhere.code, nowhere.stdout, nowhere.stderr], [0, '', '']);
  });

  it('completes the same in zsh and fish', async (t) => {
    const d = await startDaemon(config);
    const node = `${JSON.stringify(process.execPath)} ${JSON.stringify(TEND)}`;
    const missing = ['zsh', 'fish'].filter((shell) => !existsSync(`/usr/bin/${shell}`));
    if (missing.length > 0) {
      t.skip(`needs ${missing.join(' and ')} (Debian packages zsh, fish)`);
      return;
    }
    // zsh's completion builtins only exist inside a completion widget: stand-ins print what
    // _tend offers. fish completes for real with `complete -C`.
    const zsh = await run('/usr/bin/zsh', [
      '-f',
      '-c',
      [
        `tend() { ${node} "$@" }`,
        'compdef() { }',
        'compadd() { if [[ $1 == -a ]]; then shift; for n in "$@"; do print -l -- ${(P)n}; done; else [[ $1 == -- ]] && shift; print -l -- "$@"; fi }',
        '_describe() { print -l -- ${${(P)${@[-1]}}%%:*} }',
        'source <(tend completion zsh)',
        `words=(tend -c ${d.conf} stop ""); CURRENT=5; _tend`,
      ].join('\n'),
    ]);
    assert.equal(zsh.stderr, '');
    assert.deepEqual(
      zsh.stdout
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
      ['busy', 'crash', 'pool:*', 'pool:p1', 'tree', 'web'],
    );
    const fish = await run('/usr/bin/fish', [
      '--no-config',
      '-c',
      `function tend; ${node} $argv; end; tend completion fish | source; complete -C "tend -c ${d.conf} logs "; complete -C "tend mon"`,
    ]);
    assert.equal(fish.stderr, '');
    const offered = fish.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t')[0]);
    assert.deepEqual(offered.sort(), ['busy', 'crash', 'monit', 'pool:*', 'pool:p1', 'tree', 'web']);
  });
});
