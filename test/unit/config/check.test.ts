// checkConfig (`tend check`) reads on after an error: every error of a file set, sorted, while
// loadConfig (the daemon) still stops at the first with the same message.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkConfig, ConfigError, loadConfig } from '../../../src/config/index.js';
import { DIALECT, dialectOptions } from './fixtures.js';
import { OPTIONS, scratch } from './helpers.js';

const tmp = scratch();
const options = { ...OPTIONS, cwd: tmp.dir };

const firstError = (file: string, opts: Parameters<typeof loadConfig>[1]): string | null => {
  try {
    loadConfig(file, opts);
    return null;
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
};

describe('checkConfig', () => {
  // Found by the config fuzzer (issue 15): a bad [supervisord] environment abandoned the section
  // the whole load depends on, and `tend check` died with an internal error.
  it('reports a bad [supervisord] environment and reads on', () => {
    const main = tmp.write(
      'env.conf',
      '[supervisord]\nenvironment=$\n[program:web]\ncommand=/bin/true\nstartsecs=abc\n',
    );
    const { errors, config } = checkConfig(main, options);
    assert.deepEqual(
      errors.map((e) => e.location.line),
      [2, 5],
    );
    assert.match(
      errors[0]?.message ?? '',
      /\[supervisord\] environment = "\$": Unexpected end of key\/value pairs/,
    );
    assert.deepEqual(config.supervisord.environment, {});
  });

  it('reports every error of a file and its includes, sorted by file then line', () => {
    tmp.write('conf.d/extra.conf', '[program:extra]\ncommand=/bin/true\nstopsignal=NOPE\n');
    const main = tmp.write(
      'main.conf',
      [
        '[supervisord]',
        '[include]',
        'files = conf.d/*.conf',
        '[program:web]',
        'command=/bin/true',
        'startsecs=abc',
        'autostart=maybe',
        'this line is not a key',
        '[program:db]',
        'command=/bin/true',
        'numprocs=2',
        'depends_on=ghost',
        '',
      ].join('\n'),
    );
    const { errors } = checkConfig(main, options);
    const extra = path.join(tmp.dir, 'conf.d/extra.conf');
    assert.deepEqual(
      errors.map((e) => `${path.basename(e.location.file)}:${e.location.line}:${e.location.key ?? ''}`),
      [
        'main.conf:6:startsecs',
        'main.conf:7:autostart',
        'main.conf:8:',
        'main.conf:9:process_name',
        'main.conf:12:depends_on',
        'extra.conf:3:stopsignal',
      ],
    );
    assert.ok(errors.every((e) => e.message.startsWith(`${e.location.file}:${e.location.line}: `)));
    assert.ok(errors.some((e) => e.location.file === extra));
  });

  it('finds what the daemon finds first, with the same message, for every config of the corpus', () => {
    const opts = dialectOptions();
    const files = readdirSync(DIALECT).filter((f) => f.endsWith('.conf'));
    assert.ok(files.length > 50);
    for (const name of files) {
      const file = path.join(DIALECT, name);
      const first = firstError(file, opts);
      const checked = checkConfig(file, opts);
      const messages = checked.errors.map((e) => e.message);
      if (first === null) assert.deepEqual(messages, [], name);
      else assert.ok(messages.includes(first), `${name}: ${first} not in ${messages.join(' | ')}`);
      if (first === null) assert.deepEqual(checked.config.warnings, loadConfig(file, opts).warnings, name);
    }
  });

  it('reports a missing [supervisord] and reads on with its defaults', () => {
    const file = tmp.write('nosup.conf', '[program:web]\ncommand=/bin/true\nstartretries=x\n');
    const { errors, config } = checkConfig(file, options);
    assert.deepEqual(
      errors.map((e) => e.reason),
      ['.ini file does not include supervisord section', "invalid literal for int() with base 10: 'x'"],
    );
    assert.equal(config.groups[0]?.processes[0]?.startretries, 3, 'the bad value counts as unwritten');
  });

  it('says once that text comes before any section', () => {
    const file = tmp.write('noheader.conf', 'a=1\nb=2\n[supervisord]\n');
    const { errors } = checkConfig(file, options);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /noheader\.conf:1: .*no section headers/);
  });
});
