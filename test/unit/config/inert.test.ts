// Keys tend accepts but does not act on warn when set; an entry leaves INERT_KEYS when the key
// gets implemented, and this test says when: the entry's field is read outside the config layer.
// The list is empty since *_syslog works (issue 11); the mechanism is checked with a key made up
// here, so that the next inert key is caught and warned about.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  INERT_KEYS,
  inertWarnings,
  loadConfig,
  SECTION_KINDS,
  type InertKey,
} from '../../../src/config/index.js';
import { createStore, readIni } from '../../../src/config/ini.js';
import { REPO } from './fixtures.js';
import { OPTIONS, scratch } from './helpers.js';

const tmp = scratch();

// Files that only report a config value (getAllConfigInfo; the exporter, which maps or names every
// key) without acting on it.
const REPORT_ONLY = ['src/supervisor/config-info.ts', 'src/export/logs.ts'];

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );

/** Files outside the config layer that read `.field`. */
const readersOf = (field: string): string[] =>
  sources(path.join(REPO, 'src'))
    .map((f) => path.relative(REPO, f))
    .filter((rel) => !rel.startsWith('src/config/') && !REPORT_ONLY.includes(rel))
    .filter((rel) => new RegExp(`\\.${field}\\b`).test(readFileSync(path.join(REPO, rel), 'utf8')));

const madeUp: InertKey = {
  sections: ['program:'],
  key: 'stdout_syslog',
  field: 'syslog',
  why: 'a made-up reason',
};

describe('inert keys', () => {
  it('are keys tend knows, and none is acted on outside the config layer', () => {
    for (const k of INERT_KEYS) {
      for (const section of k.sections) {
        const kind = SECTION_KINDS.find((s) => s.name === section);
        assert.ok(kind !== undefined && Object.hasOwn(kind.keys, k.key), `${section} ${k.key}`);
      }
      assert.deepEqual(
        readersOf(k.field),
        [],
        `${k.key} is read there now: remove it from INERT_KEYS (src/config/inert.ts) if tend acts on it`,
      );
    }
  });

  it('the reader check finds a key that is acted on (*_syslog, read by the supervisor)', () => {
    assert.ok(readersOf('syslog').includes('src/supervisor/entries.ts'), readersOf('syslog').join(', '));
  });

  it('an inert key warns when set to anything but the default, at the line that sets it', () => {
    const store = createStore();
    readIni(
      store,
      '[DEFAULT]\nstdout_syslog=true\n[program:web]\ncommand=/bin/true\n[program:api]\ncommand=/bin/true\nstdout_syslog=false\n',
      '/x.conf',
    );
    assert.deepEqual(
      inertWarnings(store, [madeUp]).map((w) => `${w.line} [${w.section}] ${w.message}`),
      ['2 [DEFAULT] stdout_syslog = true has no effect: a made-up reason'],
    );
  });

  it('keys tend acts on do not warn (syslog among them)', () => {
    const file = tmp.write(
      'inert.conf',
      '[DEFAULT]\nstderr_syslog=true\n[supervisord]\nminfds=4096\nminprocs=200\n[program:web]\ncommand=/bin/true\nstdout_events_enabled=true\nstdout_capture_maxbytes=1MB\nstderr_events_enabled=false\n',
    );
    const config = loadConfig(file, { ...OPTIONS, cwd: tmp.dir });
    assert.deepEqual(config.warnings, []);
  });
});
