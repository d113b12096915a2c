// Config file search order: -c, $TEND_CONFIG, tend's names, then supervisord's.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findConfigFile, SEARCH_PATHS } from '../../../src/config/index.js';
import { searchConfigFile } from '../../../src/config/search.js';
import { isTendError } from '../../../src/errors/index.js';
import { scratch } from './helpers.js';

describe('findConfigFile', () => {
  const { dir, write } = scratch();

  it('uses -c first, then $TEND_CONFIG, resolved against cwd, even if absent', () => {
    assert.equal(findConfigFile('x.conf', { TEND_CONFIG: '/etc/y.conf' }, dir), path.join(dir, 'x.conf'));
    assert.equal(findConfigFile(undefined, { TEND_CONFIG: 'y.conf' }, dir), path.join(dir, 'y.conf'));
  });

  it('searches tend names before supervisord names', () => {
    assert.deepEqual(SEARCH_PATHS.slice(0, 4), [
      'tend.conf',
      'etc/tend.conf',
      '/etc/tend/tend.conf',
      'supervisord.conf',
    ]);
    const cwd = path.join(dir, 'search');
    write('search/etc/supervisord.conf', '[supervisord]\n');
    write('search/supervisord.conf', '[supervisord]\n');
    assert.equal(findConfigFile(undefined, {}, cwd), path.join(cwd, 'supervisord.conf'));
    write('search/etc/tend.conf', '[supervisord]\n');
    assert.equal(findConfigFile(undefined, { TEND_CONFIG: '' }, cwd), path.join(cwd, 'etc/tend.conf'));
    write('search/tend.conf', '[supervisord]\n');
    assert.equal(findConfigFile(undefined, {}, cwd), path.join(cwd, 'tend.conf'));
  });

  it('lists every path tried and hints at -c when nothing is found', () => {
    const cwd = path.join(dir, 'empty');
    assert.throws(
      () => searchConfigFile({ explicit: undefined, env: {}, cwd, exists: () => false }),
      (e: unknown) =>
        isTendError(e) &&
        e.code === 'CONFIG_NOT_FOUND' &&
        e.message ===
          `No config file found at default paths (${[
            path.join(cwd, 'tend.conf'),
            path.join(cwd, 'etc/tend.conf'),
            '/etc/tend/tend.conf',
            path.join(cwd, 'supervisord.conf'),
            path.join(cwd, 'etc/supervisord.conf'),
            '/etc/supervisord.conf',
            '/etc/supervisor/supervisord.conf',
          ].join(', ')})` &&
        (e.hint ?? '').includes('-c'),
    );
  });

  it('falls through to the system-wide paths in order', () => {
    const present = new Set(['/etc/supervisord.conf', '/etc/supervisor/supervisord.conf']);
    const found = searchConfigFile({ explicit: undefined, env: {}, cwd: dir, exists: (p) => present.has(p) });
    assert.equal(found, '/etc/supervisord.conf');
  });
});
