#!/usr/bin/env node
// Writes the generated docs from the compiled code (run `npm run build` first):
//   node scripts/gen-docs.mjs
// docs/config.md comes from the config key tables, docs/lifecycle.md from the transition table,
// docs/export.md from the export mapping table;
// docs/cli.md from the command modules and the error catalogue; docs/metrics.md from the
// metric families and the example queries and rules;
// unit tests fail when a committed file differs from this output.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { renderConfigDocs } = await import(path.join(root, 'dist/src/config/docs.js'));
const { renderLifecycleDocs } = await import(path.join(root, 'dist/src/process/docs.js'));
const { renderExportDocs } = await import(path.join(root, 'dist/src/export/docs.js'));
const { renderCliDocs } = await import(path.join(root, 'dist/src/cli/docs.js'));
const { renderMetricsDocs } = await import(path.join(root, 'dist/src/api/metrics/docs.js'));

for (const [file, render] of [
  ['docs/config.md', renderConfigDocs],
  ['docs/lifecycle.md', renderLifecycleDocs],
  ['docs/export.md', renderExportDocs],
  ['docs/cli.md', () => renderCliDocs()],
  ['docs/metrics.md', renderMetricsDocs],
]) {
  const target = path.join(root, file);
  const options = (await prettier.resolveConfig(target)) ?? {};
  writeFileSync(target, await prettier.format(render(), { ...options, filepath: target }));
  console.log(`wrote ${file}`);
}
