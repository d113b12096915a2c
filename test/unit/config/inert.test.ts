// Keys tend accepts but does not act on warn when set; an entry leaves INERT_KEYS when the key
// gets implemented, and this test says when: the entry's field is read outside the config layer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { INERT_KEYS, loadConfig, SECTION_KINDS } from '../../../src/config/index.js';
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

describe('inert keys', () => {
  it('are keys tend knows, and none is acted on outside the config layer', () => {
    const files = sources(path.join(REPO, 'src')).filter((f) => {
      const rel = path.relative(REPO, f);
      return !rel.startsWith('src/config/') && !REPORT_ONLY.includes(rel);
    });
    for (const k of INERT_KEYS) {
      for (const section of k.sections) {
        const kind = SECTION_KINDS.find((s) => s.name === section);
        assert.ok(kind !== undefined && Object.hasOwn(kind.keys, k.key), `${section} ${k.key}`);
      }
      const readers = files.filter((f) => new RegExp(`\\.${k.field}\\b`).test(readFileSync(f, 'utf8')));
      assert.deepEqual(
        readers.map((f) => path.relative(REPO, f)),
        [],
        `${k.key} is read there now: remove it from INERT_KEYS (src/config/inert.ts) if tend acts on it`,
      );
    }
  });

  it('warn when set to anything but the default, at the line that sets them (keys tend acts on do not)', () => {
    const file = tmp.write(
      'inert.conf',
      '[DEFAULT]\nstderr_syslog=true\n[supervisord]\nminfds=4096\nminprocs=200\n[program:web]\ncommand=/bin/true\nstdout_events_enabled=true\nstdout_capture_maxbytes=1MB\nstderr_events_enabled=false\n',
    );
    const config = loadConfig(file, { ...OPTIONS, cwd: tmp.dir });
    assert.deepEqual(
      config.warnings.map((w) => `${w.line} [${w.section}] ${w.message}`),
      [
        '2 [DEFAULT] stderr_syslog = true has no effect: tend does not write to syslog (its stdout goes to journald or the container log)',
      ],
    );
  });
});
