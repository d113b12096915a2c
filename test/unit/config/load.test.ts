// loadConfig beyond the recorded corpus: the exact shape of errors and warnings, freezing,
// include order, and tend's deliberate departures from supervisord.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, type Config } from '../../../src/config/index.js';
import { isTendError } from '../../../src/errors/index.js';
import { OPTIONS, scratch } from './helpers.js';

const tmp = scratch();
const load = (name: string, text: string, extra: Partial<Parameters<typeof loadConfig>[1]> = {}): Config =>
  loadConfig(tmp.write(name, text), { ...OPTIONS, cwd: tmp.dir, ...extra });

const configError = (name: string, text: string): ConfigError => {
  try {
    load(name, text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  return assert.fail('expected a ConfigError');
};

describe('loadConfig errors', () => {
  it('name the file, line, section, key, value and what was expected', () => {
    const error = configError(
      'bool.conf',
      '[supervisord]\n\n[program:web]\ncommand=/bin/true\nautostart=maybe\n',
    );
    const file = path.join(tmp.dir, 'bool.conf');
    assert.deepEqual(error.location, {
      file,
      line: 5,
      section: 'program:web',
      key: 'autostart',
      value: 'maybe',
      expected: 'true/false, yes/no, on/off or 1/0',
    });
    assert.equal(error.reason, "not a valid boolean value: 'maybe'");
    assert.equal(
      error.message,
      `${file}:5: [program:web] autostart = "maybe": not a valid boolean value: 'maybe' (expected true/false, yes/no, on/off or 1/0)`,
    );
    assert.equal(error.code, 'CONFIG_INVALID');
  });

  it('point at the [DEFAULT] line when the bad value is inherited from there', () => {
    const error = configError(
      'dflt.conf',
      '[DEFAULT]\nstartsecs=soon\n[supervisord]\n[program:a]\ncommand=x\n',
    );
    assert.equal(error.location.line, 2);
    assert.equal(error.location.section, 'program:a');
    assert.equal(error.location.key, 'startsecs');
  });

  it('show the value as written, not as expanded', () => {
    const error = configError(
      'pct.conf',
      '[supervisord]\n[program:a]\ncommand=x\nstdout_logfile=/tmp/a%%b.log\n',
    );
    assert.equal(error.location.value, '/tmp/a%%b.log');
    assert.match(error.reason, /unsupported format character 'b'/);
  });

  it('name the included file that holds the error', () => {
    tmp.write('inc/bad.conf', '[program:x]\ncommand=/bin/true\nstartretries=many\n');
    const error = configError('withinc.conf', '[supervisord]\n[include]\nfiles=inc/*.conf\n');
    assert.equal(error.location.file, path.join(tmp.dir, 'inc/bad.conf'));
    assert.equal(error.location.line, 3);
  });

  it('report a missing main file as CONFIG_NOT_FOUND', () => {
    assert.throws(
      () => loadConfig(path.join(tmp.dir, 'absent.conf'), OPTIONS),
      (e: unknown) => isTendError(e) && e.code === 'CONFIG_NOT_FOUND' && e.hint !== undefined,
    );
  });

  it('refuse an unnamed %s, which supervisord would fill with its whole expansion table', () => {
    const error = configError('date.conf', '[supervisord]\n[program:a]\ncommand=/bin/date +%s\n');
    assert.match(error.reason, /without a \(name\)/);
  });

  it('refuse signal 0, which supervisord accepts but cannot stop anything', () => {
    const error = configError('sig0.conf', '[supervisord]\n[program:a]\ncommand=x\nstopsignal=0\n');
    assert.equal(error.location.key, 'stopsignal');
  });
});

describe('loadConfig warnings', () => {
  it('flag unknown keys with the closest known one, at their line', () => {
    const config = load('typo.conf', '[supervisord]\n[program:web]\ncommand=/bin/true\nautorestrat=true\n');
    assert.deepEqual(config.warnings, [
      {
        file: path.join(tmp.dir, 'typo.conf'),
        line: 4,
        section: 'program:web',
        key: 'autorestrat',
        message: "unknown key 'autorestrat'; did you mean 'autorestart'?",
      },
    ]);
    assert.equal(config.groups[0]?.processes[0]?.autorestart, 'unexpected');
  });

  it('flag unknown sections, suggesting the section kind', () => {
    const config = load(
      'sect.conf',
      '[supervisord]\n[programs:web]\ncommand=x\n[unix_http_sever]\nfile=/tmp/s\n[zzz]\n',
    );
    assert.deepEqual(
      config.warnings.map((w) => w.message),
      [
        'unknown section; did you mean [program:web]?',
        'unknown section; did you mean [unix_http_server]?',
        'unknown section',
      ],
    );
  });

  it('do not blame a section for the [DEFAULT] keys it inherits, but check [DEFAULT] itself', () => {
    const text =
      '[DEFAULT]\nstartsecs=2\ndirectory=%(here)s\ncolour=blue\n[supervisord]\n[include]\nfiles=none-*.conf\n[group:g]\nprograms=a\n[program:a]\ncommand=x\n';
    const config = load('dflt-ok.conf', text);
    const messages = config.warnings.map((w) => w.message);
    assert.deepEqual(
      messages.filter((m) => m.startsWith('unknown')),
      ["unknown key 'colour'"],
    );
  });

  it('accept any key in plugin sections', () => {
    const config = load(
      'rpc.conf',
      '[supervisord]\n[rpcinterface:x]\nsupervisor.rpcinterface_factory=a:b\nretries=3\n',
    );
    assert.deepEqual(config.warnings, []);
  });

  it('repeat supervisord warnings once per section', () => {
    const text =
      '[supervisord]\n[program:a]\ncommand=x\nnumprocs=3\nprocess_name=a%(process_num)d\nredirect_stderr=true\nstderr_logfile=/tmp/e.log\n';
    const messages = load('redir.conf', text).warnings.map((w) => w.message);
    assert.deepEqual(messages, [
      'For [program:a], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored',
    ]);
  });

  it('warn about user= when the daemon cannot switch users', () => {
    const config = load('user.conf', '[supervisord]\n[program:a]\ncommand=x\nuser=nobody\n', {
      isRoot: false,
    });
    assert.match(config.warnings[0]?.message ?? '', /user=nobody needs a daemon running as root/);
  });
});

describe('loadConfig results', () => {
  tmp.write('conf.d/b.conf', '[program:b]\ncommand=/bin/b\n');
  tmp.write('conf.d/a.conf', '[program:a]\ncommand=%(here)s/a\n');
  const config = load(
    'full.conf',
    [
      '[supervisord]',
      'environment=G=1',
      '[include]',
      'files=conf.d/*.conf',
      '[program:web]',
      'command=/bin/echo %(ENV_TEND_X)s %(ENV_G)s',
      'process_name=web_%(process_num)02d',
      'numprocs=2',
      '[program:bad-shlex]',
      'command=/bin/echo "unterminated',
      '',
    ].join('\n'),
  );

  it('are deeply frozen', () => {
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.groups[0]?.processes[0]?.argv));
    assert.ok(Object.isFrozen(config.supervisord.environment));
  });

  it('expand names and split argv', () => {
    const web = config.groups.find((g) => g.name === 'web');
    assert.deepEqual(
      web?.processes.map((p) => [p.name, p.argv]),
      [
        ['web_00', ['/bin/echo', 'x', '1']],
        ['web_01', ['/bin/echo', 'x', '1']],
      ],
    );
  });

  it('keep argv empty when shlex cannot split the command (the spawn reports it)', () => {
    const p = config.groups.find((g) => g.name === 'bad-shlex')?.processes[0];
    assert.equal(p?.command, '/bin/echo "unterminated');
    assert.deepEqual(p.argv, []);
  });

  it('read included files with their own %(here)s', () => {
    const a = config.groups.find((g) => g.name === 'a')?.processes[0];
    assert.equal(a?.command, path.join(tmp.dir, 'conf.d/a'));
    assert.deepEqual(config.files.slice(1), [
      path.join(tmp.dir, 'conf.d/a.conf'),
      path.join(tmp.dir, 'conf.d/b.conf'),
    ]);
  });

  it('make logfile and pidfile absolute against cwd', () => {
    assert.equal(config.supervisord.logfile, path.join(tmp.dir, 'supervisord.log'));
    assert.equal(config.supervisord.pidfile, path.join(tmp.dir, 'supervisord.pid'));
  });

  it('turn a NONE or syslog main log into null', () => {
    assert.equal(load('nolog.conf', '[supervisord]\nlogfile=NONE\n').supervisord.logfile, null);
    assert.equal(load('syslog.conf', '[supervisord]\nlogfile=syslog\n').supervisord.logfile, null);
  });
});

describe('[include]', () => {
  it('reads matches in sorted order and records the files read', () => {
    tmp.write('order/conf.d/10-b.conf', '[program:x]\ncommand=from-10\n');
    tmp.write('order/conf.d/2-a.conf', '[program:x]\ncommand=from-2\n');
    tmp.write('order/conf.d/.hidden.conf', '[program:x]\ncommand=hidden\n');
    const file = tmp.write('order/main.conf', '[supervisord]\n[include]\nfiles=conf.d/*.conf\n');
    const config = loadConfig(file, { ...OPTIONS, cwd: '/' });
    assert.deepEqual(config.files, [
      file,
      path.join(tmp.dir, 'order/conf.d/10-b.conf'),
      path.join(tmp.dir, 'order/conf.d/2-a.conf'),
    ]);
    assert.equal(config.groups[0]?.processes[0]?.command, 'from-2');
  });

  it('does not let included files include more', () => {
    tmp.write('nested/inc/one.conf', '[include]\nfiles=two.conf\n[program:one]\ncommand=x\n');
    tmp.write('nested/inc/two.conf', '[program:two]\ncommand=x\n');
    const config = loadConfig(
      tmp.write('nested/main.conf', '[supervisord]\n[include]\nfiles=inc/one.conf\n'),
      OPTIONS,
    );
    assert.deepEqual(
      config.groups.map((g) => g.name),
      ['one'],
    );
  });
});
