import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { verifyScrypt } from '../../../src/api/scrypt.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { hashPassword } from '../../../src/api/scrypt.js';
import { fixture, header, run, startDaemon, TEND } from '../../helpers/daemon.js';
import { freePort } from '../../helpers/supervisord.js';
import { tempDir } from '../../helpers/tmp.js';

// What the tend CLI adds to supervisorctl's verbs: status --json, logs, wait, hash-password,
// --help everywhere, no colour off a terminal, and an update that restarts only what changed.

const config = `
[program:web]
command = ${fixture('stderr.sh')}
startsecs = 0

[program:idle]
command = ${fixture('forever.sh')}
autostart = false

[program:echo]
command = /bin/cat
startsecs = 0

[group:pool]
programs = p1,p2

[program:p1]
command = ${fixture('forever.sh')}
startsecs = 0

[program:p2]
command = ${fixture('forever.sh')}
startsecs = 0
`;

/** Runs `tend ARGS`, sends Ctrl-C once the output matches `until` (or after 20 s). */
const follow = async (conf: string, args: readonly string[], until: RegExp, input?: string) => {
  const child = spawn(process.execPath, [TEND, '-c', conf, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (until.test(stdout)) setTimeout(() => child.kill('SIGINT'), 100);
  });
  if (input !== undefined) child.stdin.write(input);
  const timer = setTimeout(() => child.kill('SIGINT'), 20_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout };
};

const COMMANDS = [
  'status',
  'start',
  'stop',
  'restart',
  'signal',
  'tail',
  'logs',
  'maintail',
  'fg',
  'pid',
  'wait',
  'reread',
  'update',
  'avail',
  'add',
  'remove',
  'clear',
  'reload',
  'shutdown',
  'version',
  'hash-password',
  'daemon',
  'check',
];

describe('tend CLI', () => {
  it("status --json gives getProcessInfo objects; version is the daemon's tend version", async () => {
    const d = await startDaemon(config);
    await d.waitFor('running', (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 4);
    const json = await d.tend(['status', '--json', 'pool:*']);
    assert.equal(json.code, 0, json.stderr);
    const rows = JSON.parse(json.stdout) as { name: string; statename: string; pid: number }[];
    assert.deepEqual(
      rows.map((r) => [r.name, r.statename]),
      [
        ['p1', 'RUNNING'],
        ['p2', 'RUNNING'],
      ],
    );
    // Exactly getProcessInfo's fields (reference §3.4); tend's own only when asked for.
    const fields = [
      'description',
      'exitstatus',
      'group',
      'logfile',
      'name',
      'now',
      'pid',
      'spawnerr',
      'start',
      'state',
      'statename',
      'stderr_logfile',
      'stdout_logfile',
      'stop',
    ];
    for (const row of rows) assert.deepEqual(Object.keys(row).sort(), fields);
    const extended = await d.api<Record<string, unknown>[]>('GET', '/api/v1/processes?tend=true');
    assert.deepEqual(Object.keys(extended.body[0] ?? {}).sort(), [...fields, 'tend'].sort());
    assert.equal((await d.api('GET', '/api/v1/processes?tend=maybe')).status, 400);
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal((await d.tend(['version'])).stdout, `${pkg.version}\n`);
  });

  it('logs shows both streams, prefixed by process when there are several, and follows with -f', async () => {
    const d = await startDaemon(config);
    await d.waitFor('running', (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 4);
    for (let i = 0; i < 200; i++) {
      if ((await d.api<{ data: string }>('GET', '/api/v1/processes/web/logs/stderr')).body.data !== '') break;
      await sleep(50);
    }
    const one = await d.tend(['logs', 'web']);
    assert.equal(one.stdout, 'to stdout\nto stderr\n');
    const all = await d.tend(['logs', '-n', '1']);
    assert.match(all.stdout, /^web \| to stdout$/m);
    assert.match(all.stdout, /^web \| to stderr$/m);
    assert.match(all.stdout, /^pool:p1 \| forever pid \d+$/m);
    const followed = follow(d.conf, ['logs', '-f', 'echo'], /typed line/);
    await sleep(500);
    assert.equal((await d.api('POST', '/api/v1/processes/echo/stdin', { data: 'typed line\n' })).status, 200);
    const { code, stdout } = await followed;
    assert.equal(code, 0);
    assert.match(stdout, /^typed line$/m);
  });

  it('wait returns when the state is reached and fails after --timeout', async () => {
    const d = await startDaemon(config);
    const waiting = d.tend(['wait', 'idle', '--state', 'RUNNING', '--timeout', '20s']);
    await d.tend(['start', 'idle']);
    const ok = await waiting;
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^idle +RUNNING +pid \d+/);
    const late = await d.tend(['wait', 'pool:*', '--state', 'STOPPED,EXITED', '--timeout', '300ms']);
    assert.equal(late.code, 1);
    assert.match(late.stderr, /timed out after 0\.3s: pool:p1 is RUNNING, pool:p2 is RUNNING/);
    const bad = await d.tend(['wait', 'idle', '--state', 'ASLEEP']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown state ASLEEP/);
  });

  it('update restarts only the changed member of a group; reread alone changes nothing', async () => {
    const d = await startDaemon(config);
    await d.waitFor('running', (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 4);
    const before = Object.fromEntries((await d.info()).map((p) => [p.name, p.pid]));
    writeFileSync(
      d.conf,
      readFileSync(d.conf, 'utf8').replace('[program:p1]', '[program:p1]\nenvironment = X="1"'),
    );
    assert.equal((await d.tend(['reread'])).stdout, 'pool: changed\n');
    assert.deepEqual(Object.fromEntries((await d.info()).map((p) => [p.name, p.pid])), before);
    const update = await d.tend(['update']);
    assert.equal(update.stdout, 'pool: stopped\npool: updated process group\n');
    const after = await d.waitFor('p1 back', (ps) =>
      ps.every((p) => p.name === 'idle' || p.statename === 'RUNNING'),
    );
    const pids = Object.fromEntries(after.map((p) => [p.name, p.pid]));
    assert.equal(pids.p2, before.p2);
    assert.equal(pids.web, before.web);
    assert.notEqual(pids.p1, before.p1);
  });

  it('hash-password reads stdin and prints a {scrypt} hash that verifies', async () => {
    const r = await run(process.execPath, [TEND, 'hash-password'], { input: 'correct horse\n' });
    assert.equal(r.code, 0, r.stderr);
    const hash = r.stdout.trim();
    assert.match(hash, /^\{scrypt\}N=131072,r=8,p=1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    assert.ok(await verifyScrypt(hash, 'correct horse'));
    assert.ok(!(await verifyScrypt(hash, 'correct horse\n')));
    assert.equal((await run(process.execPath, [TEND, 'hash-password'], { input: '' })).code, 2);
  });

  it('has --help for every command, and no colour when stdout is not a terminal', async () => {
    for (const command of COMMANDS) {
      const help = await run(process.execPath, [TEND, command, '--help']);
      assert.equal(help.code, 0, command);
      assert.match(help.stdout, new RegExp(`^Usage: tend ${command}`), command);
    }
    const d = await startDaemon(config);
    await d.waitFor('running', (ps) => ps.filter((p) => p.statename === 'RUNNING').length === 4);
    const plain = await run(process.execPath, [TEND, '-c', d.conf, 'status'], {
      env: { NO_COLOR: undefined },
    });
    assert.ok(!plain.stdout.includes('\u001b['), 'no ANSI escapes');
  });

  it('reaches the daemon over TCP with -s/-u/-p and a {scrypt} password', async () => {
    const port = await freePort();
    const dir = tempDir();
    const inet = `\n[inet_http_server]\nport = 127.0.0.1:${port}\nusername = admin\npassword = ${await hashPassword('s3cret')}\n`;
    await startDaemon(config, { dir, header: header(dir) + inet });
    const url = ['-s', `http://127.0.0.1:${port}`];
    const ok = await run(process.execPath, [TEND, ...url, '-u', 'admin', '-p', 's3cret', 'status', 'web']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^web +(STARTING|RUNNING)/);
    const denied = await run(process.execPath, [TEND, ...url, '-u', 'admin', '-p', 'nope', 'status']);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /authentication required/);
  });

  it('reports an unreachable daemon with exit 69 and how it was chosen, and shuts the daemon down', async () => {
    const d = await startDaemon(config);
    const gone = await run(process.execPath, [TEND, '-s', `unix://${d.dir}/nosuch.sock`, 'status']);
    assert.equal(gone.code, 69);
    assert.equal(
      gone.stderr,
      [
        `tend: unix://${d.dir}/nosuch.sock no such file`,
        `hint: server unix://${d.dir}/nosuch.sock given with -s`,
        'hint: is the daemon running? start it with `tend daemon -c FILE`',
        '',
      ].join('\n'),
    );
    const shut = await d.tend(['shutdown']);
    assert.equal(shut.stdout, 'Shut down\n');
    await d.exit();
  });
});
