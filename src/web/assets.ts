import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// The page's script and style, built by scripts/bundle.mjs into dist/bundle/web/ and served by
// tend itself (no CDN: the page works offline). Read once at start, compressed once, served under
// a name that carries their hash so browsers may keep them forever. Only these names exist: any
// other path under /assets/ (../ included) is a 404.

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer;
}

export interface AssetSet {
  /** By URL path, e.g. `/assets/app-0123abcd.js`. */
  readonly files: ReadonlyMap<string, Asset>;
  readonly script: string;
  readonly style: string;
}

// The bundle's chunks sit in dist/bundle/, the compiled module (tests) in dist/src/web/.
const candidates = (): string[] => [
  fileURLToPath(new URL('./web/', import.meta.url)),
  fileURLToPath(new URL('../../bundle/web/', import.meta.url)),
];

const asset = (body: Buffer, type: string): Asset => ({
  type,
  body,
  gzip: gzipSync(body, { level: 9 }),
  br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
});

const named = (base: string, ext: string, body: Buffer): string =>
  `/assets/${base}-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;

export const loadAssets = (): AssetSet => {
  const dir = candidates().find((d) => existsSync(`${d}app.js`));
  if (dir === undefined)
    throw new Error(
      `the dashboard's files are missing (looked in ${candidates().join(', ')}); run npm run build`,
    );
  const js = readFileSync(`${dir}app.js`);
  const css = readFileSync(`${dir}app.css`);
  const script = named('app', 'js', js);
  const style = named('app', 'css', css);
  return {
    files: new Map([
      [script, asset(js, 'text/javascript; charset=utf-8')],
      [style, asset(css, 'text/css; charset=utf-8')],
    ]),
    script,
    style,
  };
};

/** The smallest encoding the client accepts. */
export const pickEncoding = (
  asset: Asset,
  accept: string | undefined,
): { body: Buffer; encoding: string | null } => {
  const a = accept ?? '';
  if (/\bbr\b/.test(a)) return { body: asset.br, encoding: 'br' };
  if (/\bgzip\b/.test(a)) return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.body, encoding: null };
};
