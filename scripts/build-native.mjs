#!/usr/bin/env node
// Builds tend's native addon (native/, docs/native.md) with node-gyp, from source: run by
// `npm install`/`npm ci` (the install script) and by `npm run build`. The addon is optional: where
// it cannot be built (not Linux, no compiler), this says so and exits 0, and the daemon uses
// child_process (it says so again in its log at start-up). `--strict` makes a failure fatal.
// Up to date (the .node newer than every source) means nothing to do.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'native');
const output = path.join(dir, 'build/Release/tend_native.node');
const strict = process.argv.includes('--strict');
const force = process.argv.includes('--force');

const skip = (why) => {
  console.log(`tend: native spawner not built: ${why}; tend will use child_process (docs/native.md)`);
  process.exit(strict ? 1 : 0);
};

if (process.platform !== 'linux') skip(`it is Linux-only (this is ${process.platform})`);

const sources = [
  path.join(dir, 'binding.gyp'),
  ...readdirSync(path.join(dir, 'src')).map((f) => path.join(dir, 'src', f)),
];
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (!force && existsSync(output) && statSync(output).mtimeMs >= newest) process.exit(0);

// node-gyp: the one npm runs scripts with, else the one bundled with npm next to this node.
const gyp = [
  process.env.npm_config_node_gyp,
  path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
].find((candidate) => candidate !== undefined && candidate !== '' && existsSync(candidate));
if (gyp === undefined) skip('node-gyp was not found');

// This node's own headers when it has them (a distribution's node does): no download needed.
const prefix = path.resolve(path.dirname(process.execPath), '..');
const nodedir =
  process.env.npm_config_nodedir ??
  (existsSync(path.join(prefix, 'include/node/node_api.h')) ? prefix : undefined);
const args = [gyp, 'rebuild', ...(nodedir === undefined ? [] : [`--nodedir=${nodedir}`])];
const result = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
if (result.status !== 0) {
  const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  skip(`node-gyp failed (exit ${result.status ?? result.signal}):\n${tail}\n`);
}
console.log(`tend: native spawner built (${path.relative(root, output)})`);
