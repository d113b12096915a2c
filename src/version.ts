import { readFileSync } from 'node:fs';

// tend's own version, from package.json (two levels above this file in src/ and in dist/src/).
export const TEND_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
