import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckReport } from '../../../src/protocol/check-report.js';
import { fixture, run, TEND } from '../../helpers/daemon.js';
import { tempDir } from '../../helpers/tmp.js';

// `tend check` as a CI gate: every error and warning of the file set with file:line, sorted;
// missing or unrunnable commands; keys tend does not act on; --json always one document.

const check = (args: readonly string[], cwd: string) =>
  run(process.execPath, [TEND, 'check', ...args], { cwd });

const setup = () => {
  const dir = tempDir();
  const write = (name: string, text: string): string => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  return { dir, write };
};

describe('tend check', () => {
  it('reports every error and warning of a file and its includes, sorted by file and line', async () => {
    const { dir, write } = setup();
    write('conf.d/more.conf', '[program:more]\ncommand = /bin/true\nstopsignal = NOPE\n');
    const conf = write(
      'tend.conf',
      [
        '[supervisord]', // 1
        `logfile = ${dir}/tend.log`,
        '[include]',
        'files = conf.d/*.conf',
        '[program:web]', // 5
        `command = ${fixture('forever.sh')}`,
        'autorestrat = true',
        'startsecs = abc',
        'stdout_logfile_maxbytez = 1MB',
        '[program:db]', // 10
        'command = /nonexistent/db --fast',
        'priority = high',
        'depends_on = ghost',
        '',
      ].join('\n'),
    );
    const more = `${dir}/conf.d/more.conf`;
    const r = await check(['-c', conf], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, `${conf}: invalid (5 errors, 2 warnings)\n`);
    assert.equal(
      r.stderr,
      [
        `${conf}:8: [program:web] startsecs = "abc": invalid literal for int() with base 10: 'abc' (expected an integer)`,
        `${conf}:11: [program:db] command = "/nonexistent/db --fast": can't find command '/nonexistent/db'`,
        `${conf}:12: [program:db] priority = "high": invalid literal for int() with base 10: 'high' (expected an integer)`,
        `${conf}:13: [program:db] depends_on = "ghost": unknown program or group 'ghost' (expected names of programs or groups)`,
        `${more}:3: [program:more] stopsignal = "NOPE": value 'NOPE' is not a valid signal name (expected a signal name (TERM, SIGHUP, int) or number)`,
        `warning: ${conf}:7: [program:web] unknown key 'autorestrat'; did you mean 'autorestart'?`,
        `warning: ${conf}:9: [program:web] unknown key 'stdout_logfile_maxbytez'; did you mean 'stdout_logfile_maxbytes'?`,
        '',
      ].join('\n'),
    );
  });

  it('--json prints one document, valid or not, even for a file that is not there', async () => {
    const { dir, write } = setup();
    const bad = write('bad.conf', '[supervisord]\n[program:x]\ncommand=/bin/true\nnumprocs=two\n');
    const invalid = await check(['-c', bad, '--json'], dir);
    assert.equal(invalid.code, 2);
    const doc = JSON.parse(invalid.stdout) as CheckReport;
    assert.deepEqual(Object.keys(doc), [
      'valid',
      'file',
      'files',
      'errors',
      'warnings',
      'groups',
      'processes',
      'limits',
      'alerts',
    ]);
    assert.equal(doc.valid, false);
    assert.deepEqual(
      doc.errors.map((e) => [e.line, e.section, e.key]),
      [[4, 'program:x', 'numprocs']],
    );
    assert.deepEqual(doc.processes, []);
    const missing = await check(['-c', `${dir}/nosuch.conf`, '--json'], dir);
    assert.equal(missing.code, 2);
    const none = JSON.parse(missing.stdout) as CheckReport;
    assert.equal(none.valid, false);
    assert.match(none.errors[0]?.message ?? '', /could not find or read config file .*nosuch\.conf/);
  });

  it('lists what would run, with the group priority, and says valid with the right grammar', async () => {
    const { dir, write } = setup();
    const one = write('one.conf', `[supervisord]\n[program:web]\ncommand = ${fixture('forever.sh')}\n`);
    const r = await check(['-c', one], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], `${one}: valid (1 group, 1 process)`);
    const pool = write(
      'pool.conf',
      `[supervisord]\n[group:pool]\nprograms = a,b\npriority = 100\n[program:a]\ncommand = ${fixture('forever.sh')}\npriority = 5\n[program:b]\ncommand = ${fixture('forever.sh')}\n`,
    );
    const json = JSON.parse((await check(['-c', pool, '--json'], dir)).stdout) as CheckReport;
    assert.deepEqual(
      json.processes.map((p) => [p.namespec, p.groupPriority, p.priority]),
      [
        ['pool:a', 100, 5],
        ['pool:b', 100, 999],
      ],
    );
    const text = await check(['-c', pool], dir);
    assert.match(text.stdout, /^valid|: valid \(1 group, 2 processes\)$/m);
    assert.match(text.stdout, /^pool:a {2}\(group pool at priority 100, priority 5\)$/m);
  });

  it('flags a command that is not executable, or not by its user; --strict fails on warnings', async () => {
    const { dir, write } = setup();
    const plain = write('plain.txt', 'not a program\n');
    const owned = path.join(dir, 'root-only.sh');
    copyFileSync(fixture('forever.sh'), owned);
    chmodSync(owned, 0o700);
    chmodSync(dir, 0o755);
    const conf = write(
      'tend.conf',
      `[supervisord]\n[program:text]\ncommand = ${plain}\n[program:mine]\ncommand = ${owned}\nuser = nobody\n[program:dir]\ncommand = ${dir}\n`,
    );
    const r = await check(['-c', conf], dir);
    assert.equal(r.code, 2);
    const lines = r.stderr.split('\n');
    assert.ok(
      lines.includes(
        `${conf}:3: [program:text] command = "${plain}": command at '${plain}' is not executable`,
      ),
      r.stderr,
    );
    assert.ok(
      lines.includes(`${conf}:5: [program:mine] command = "${owned}": user nobody may not execute ${owned}`),
      r.stderr,
    );
    assert.ok(
      lines.includes(`${conf}:8: [program:dir] command = "${dir}": command at '${dir}' is a directory`),
      r.stderr,
    );
    const warned = write(
      'warned.conf',
      `[supervisord]\n[program:web]\ncommand = ${fixture('forever.sh')}\nautorestrat = true\n`,
    );
    const lax = await check(['-c', warned], dir);
    assert.equal(lax.code, 0);
    assert.equal(lax.stdout.split('\n')[0], `${warned}: valid (1 group, 1 process; 0 errors, 1 warning)`);
    assert.equal((await check(['-c', warned, '--strict'], dir)).code, 2);
  });
});
