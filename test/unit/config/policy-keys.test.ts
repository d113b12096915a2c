// memory_limit, memory_limit_checks, cron_restart and cron_timezone: converters, defaults, and
// errors that name file:line, section, key and value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFirings } from '../../../src/config/index.js';
import * as x from '../../../src/config/tend-datatypes.js';
import { PyValueError } from '../../../src/config/pystr.js';
import { convert, sectionLoader } from './helpers.js';

const { load, configError } = sectionLoader();

describe('policy keys', () => {
  it('are off by default', () => {
    const web = load('plain.conf', '[program:web]\ncommand=/bin/true\n').groups[0]?.processes[0];
    assert.equal(web?.memoryLimit, 0);
    assert.equal(web.memoryLimitChecks, 3);
    assert.equal(web.cronRestart, null);
  });

  it('reads sizes as supervisord does, and a schedule with its zone', () => {
    const body =
      '[program:web]\ncommand=/bin/true\nmemory_limit = 512MB\nmemory_limit_checks = 5\n' +
      'cron_restart = 0  3 * * *\ncron_timezone = Europe/Berlin\n';
    const web = load('set.conf', body).groups[0]?.processes[0];
    assert.equal(web?.memoryLimit, 512 * 1024 * 1024);
    assert.equal(web.memoryLimitChecks, 5);
    assert.deepEqual(web.cronRestart, { expression: '0 3 * * *', timezone: 'Europe/Berlin' });
  });

  it('takes 5 fields, 6 with seconds, and nicknames', () => {
    assert.equal(convert(x.cron, '*/5 * * * * *'), '*/5 * * * * *');
    assert.equal(convert(x.cron, '@daily'), '@daily');
    for (const bad of ['', '* * * *', '61 * * * *', '0 3 * * * * *', 'every day', '0 25 * * *'])
      assert.throws(() => convert(x.cron, bad), PyValueError, bad);
    assert.equal(convert(x.timeZone, 'utc'), 'UTC');
    assert.throws(() => convert(x.timeZone, 'Mars/Olympus'), /not a time zone/);
  });

  it('a bad cron expression is an error at its line, with what is accepted', () => {
    const error = configError(
      'cron.conf',
      '[program:web]\ncommand=/bin/true\ncron_restart = 0 3 * * * * *\n',
    );
    assert.match(error.message, /cron\.conf:5: \[program:web\] cron_restart = "0 3 \* \* \* \* \*"/);
    assert.match(error.message, /5 fields/);
  });

  it('a bad size or zone is an error at its line', () => {
    const size = configError('size.conf', '[program:web]\ncommand=/bin/true\nmemory_limit = 1.5GB\n');
    assert.match(size.message, /size\.conf:5: \[program:web\] memory_limit = "1\.5GB"/);
    const zone = configError(
      'zone.conf',
      '[program:web]\ncommand=/bin/true\ncron_restart=@daily\ncron_timezone=Nowhere\n',
    );
    assert.match(zone.message, /zone\.conf:6: \[program:web\] cron_timezone = "Nowhere"/);
    const checks = configError('checks.conf', '[program:web]\ncommand=/bin/true\nmemory_limit_checks=0\n');
    assert.match(checks.message, /checks\.conf:5: .*memory_limit_checks/);
  });

  it('nextFirings gives the next times in the schedule’s zone', () => {
    const from = Date.UTC(2026, 11, 2, 12);
    assert.deepEqual(nextFirings({ expression: '0 3 * * *', timezone: 'UTC' }, from, 3), [
      Date.UTC(2026, 11, 3, 3),
      Date.UTC(2026, 11, 4, 3),
      Date.UTC(2026, 11, 5, 3),
    ]);
    // 03:00 in New York in December is 08:00 UTC.
    assert.deepEqual(nextFirings({ expression: '0 3 * * *', timezone: 'America/New_York' }, from, 1), [
      Date.UTC(2026, 11, 3, 8),
    ]);
  });
});
