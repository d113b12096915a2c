#!/usr/bin/env node
// Bundles tsc's output (dist/src) into dist/bundle, which bin/tend runs. Measured on Node 20:
// loading ~150 small ES modules costs the daemon ~11 MB of resident memory and the CLI ~100 ms
// of start-up; one bundle does not. Memory matters twice over: fork() copies the daemon's page
// tables at every spawn, so spawn time grows with its anonymous memory (~28 µs per MiB).
// Code splitting keeps what main.ts imports lazily (the daemon) out of the client's start-up.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [path.join(root, 'dist/src/main.js')],
  outdir: path.join(root, 'dist/bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons cannot be bundled.
  external: ['unix-dgram'],
  // CommonJS dependencies call require() for Node built-ins; ES modules have no require.
  banner: {
    js: "import { createRequire as __tendRequire } from 'node:module'; const require = __tendRequire(import.meta.url);",
  },
  // Whitespace only: V8 keeps every function's source in memory (~3 MB less), while names stay
  // readable in stack traces; the linked source map gives exact lines with --enable-source-maps.
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});

// The dashboard's page (src/web/page, browser code): one minified script and one stylesheet that
// the daemon serves itself (src/web/assets.ts). Nothing from a CDN, so the page works offline.
await build({
  entryPoints: [path.join(root, 'src/web/page/main.ts')],
  outfile: path.join(root, 'dist/bundle/web/app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: [path.join(root, 'src/web/page/style.css')],
  outfile: path.join(root, 'dist/bundle/web/app.css'),
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
