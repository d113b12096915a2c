#!/usr/bin/env node
// Writes docs/config.md from the compiled key tables (run `npm run build` first):
//   node scripts/gen-config-docs.mjs
// test/unit/config/docs.test.ts fails when the committed file differs from this output.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs/config.md');
const { renderConfigDocs } = await import(path.join(root, 'dist/src/config/docs.js'));
const options = (await prettier.resolveConfig(target)) ?? {};
writeFileSync(target, await prettier.format(renderConfigDocs(), { ...options, filepath: target }));
console.log(`wrote ${path.relative(root, target)}`);
