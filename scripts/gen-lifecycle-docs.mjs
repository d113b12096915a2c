#!/usr/bin/env node
// Writes docs/lifecycle.md from the compiled transition table (run `npm run build` first):
//   node scripts/gen-lifecycle-docs.mjs
// test/unit/process/docs.test.ts fails when the committed file differs from this output.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs/lifecycle.md');
const { renderLifecycleDocs } = await import(path.join(root, 'dist/src/process/docs.js'));
const options = (await prettier.resolveConfig(target)) ?? {};
writeFileSync(target, await prettier.format(renderLifecycleDocs(), { ...options, filepath: target }));
console.log(`wrote ${path.relative(root, target)}`);
