// Temporary config files for tests that need more than one file or an unusual layout.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { ConfigError, loadConfig, type Config } from '../../../src/config/index.js';

/** A fresh directory removed when the test file ends; write(name, text) creates files in it. */
export const scratch = (): { dir: string; write: (name: string, text: string) => string } => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tend-config-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    write: (name, text) => {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
};

export const OPTIONS = {
  env: { HOME: '/home/tend', TEND_X: 'x' },
  hostname: 'testhost',
  isRoot: true,
} as const;

/**
 * Loads `body` under an empty [supervisord] from a file of a fresh scratch directory (`dir`,
 * where `write` puts other files): `load` returns the config, `configError` the ConfigError it
 * must raise.
 */
export const sectionLoader = (): {
  dir: string;
  write: (name: string, text: string) => string;
  load: (name: string, body: string) => Config;
  configError: (name: string, body: string) => ConfigError;
} => {
  const tmp = scratch();
  const load = (name: string, body: string): Config =>
    loadConfig(tmp.write(name, `[supervisord]\n\n${body}`), { ...OPTIONS, cwd: tmp.dir });
  const configError = (name: string, body: string): ConfigError => {
    try {
      load(name, body);
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error;
    }
    return assert.fail('expected a ConfigError');
  };
  return { dir: tmp.dir, write: tmp.write, load, configError };
};

/** A datatype's converter called outside a config (no file position). */
export const convert = <T>(type: { convert: (raw: string, at: never) => T }, raw: string): T =>
  type.convert(raw, undefined as never);
