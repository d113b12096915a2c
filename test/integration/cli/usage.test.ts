import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { header, run, TEND } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// Usage errors are one line and a --help hint, exit 2, found before anything is sent (the
// daemon address below does not exist: a request would end in exit 69 instead). Which config
// and server a command uses is said, never guessed silently.

const NOWHERE = ['-s', 'unix:///nonexistent/tend-test.sock'];
const tend = (args: readonly string[], cwd?: string) =>
  run(process.execPath, [TEND, ...args], { env: { TEND_CONFIG: '' }, ...(cwd === undefined ? {} : { cwd }) });

describe('tend usage errors', () => {
  const cases: [string, string[], string][] = [
    [
      'a bad option value',
      ['logs', '-n', 'abc', 'web'],
      "tend: logs: -n must be a whole number from 0 to 100000, got 'abc'\nhint: tend logs --help\n",
    ],
    ['a missing name', ['tail'], "tend: tail: missing required argument 'name'\nhint: tend tail --help\n"],
    ['an unknown command', ['lst'], "tend: unknown command 'lst'; did you mean ls?\nhint: tend --help\n"],
    [
      'an unknown option',
      ['status', '--bogus'],
      "tend: status: unknown option '--bogus'\nhint: tend status --help\n",
    ],
    [
      'a bad duration',
      ['wait', 'web', '--timeout', 'soon'],
      'tend: wait: --timeout: not a duration: soon (try 30s, 500ms, 2m)\nhint: tend wait --help\n',
    ],
    [
      'a shell tend has no script for',
      ['completion', 'tcsh'],
      "tend: completion: SHELL must be bash, zsh or fish, got 'tcsh'\nhint: tend completion --help\n",
    ],
  ];
  for (const [what, args, stderr] of cases) {
    it(`${what}: one line, a hint, exit 2, nothing sent`, async () => {
      const r = await tend([...NOWHERE, ...args]);
      assert.equal(r.stderr, stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.code, 2);
    });
  }

  it("keeps supervisorctl's own line and exit status for a verb without a name", async () => {
    const stop = await tend([...NOWHERE, 'stop']);
    assert.equal(stop.stderr, 'Error: stop requires a process name\nhint: tend stop --help\n');
    assert.equal(stop.code, 1);
    const start = await tend([...NOWHERE, 'start']);
    assert.equal(start.stderr, 'Error: start requires a process name\nhint: tend start --help\n');
    assert.equal(start.code, 2);
  });

  it("answers PM2's names with a note of tend's", async () => {
    const r = await tend([...NOWHERE, 'list']);
    assert.equal(r.stderr.split('\n')[0], 'note: `tend list` is `tend status` here');
    assert.equal(r.code, 69);
    const help = await tend(['monit', '--help']);
    assert.match(help.stdout, /^Usage: tend top\|monit /);
  });
});

describe('tend says which config and server it uses', () => {
  it('names a config it found by searching, and where the server address came from', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'supervisord.conf'),
      `[supervisord]\n[unix_http_server]\nfile = ${dir}/gone.sock\n`,
    );
    const r = await tend(['status'], dir);
    const skipped = ['./tend.conf', './etc/tend.conf', '/etc/tend/tend.conf'].filter(
      (p) => !existsSync(path.resolve(dir, p)),
    );
    assert.equal(r.code, 69);
    assert.equal(
      r.stderr,
      [
        `tend: unix://${dir}/gone.sock no such file`,
        `hint: server unix://${dir}/gone.sock from [unix_http_server] file in ${dir}/supervisord.conf`,
        `hint: config ${dir}/supervisord.conf found by searching (${skipped.join(', ')} do not exist)`,
        `hint: is the daemon running? start it with \`tend daemon -c ${dir}/supervisord.conf\``,
        '',
      ].join('\n'),
    );
  });

  it('tend init names the config it embeds when nobody chose it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'tend.conf'), `${header(dir)}\n`);
    const r = await tend(['init', 'systemd'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `note: the service runs ${dir}/tend.conf, found by searching (the first place tend looks); pass --config FILE to choose another\n`,
    );
    assert.match(r.stdout, new RegExp(`^ExecStart=.* daemon -c ${dir}/tend\\.conf$`, 'm'));
    const chosen = await tend(['init', 'systemd', '--config', `${dir}/tend.conf`], dir);
    assert.equal(chosen.stderr, '');
  });

  it('tend daemon names the config it found by searching before it starts', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'tend.conf'), `${header(dir)}\n`);
    const child = spawn(process.execPath, [TEND, 'daemon'], {
      cwd: dir,
      env: { ...process.env, TEND_CONFIG: '' },
    });
    let stderr = '';
    const firstLine = new Promise<string>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('\n')) resolve(stderr.split('\n')[0] ?? '');
      });
    });
    const exited = once(child, 'exit');
    assert.equal(
      await firstLine,
      `tend: using ${dir}/tend.conf, found by searching (the first place tend looks); choose another with -c FILE`,
    );
    child.kill('SIGTERM');
    await exited;
  });
});
