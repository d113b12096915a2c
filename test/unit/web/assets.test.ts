// The page's script and style as the daemon serves them: built, small (the budget is well
// under 150 KiB compressed), under names that carry their hash, in the encoding the client takes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadAssets, pickEncoding } from '../../../src/web/assets.js';

describe('dashboard assets', () => {
  const assets = loadAssets();

  it('stay far under 150 KiB compressed, script and style together', () => {
    const gzip = [...assets.files.values()].reduce((sum, a) => sum + a.gzip.length, 0);
    assert.ok(gzip < 150 * 1024, `${gzip} bytes gzipped`);
    assert.ok(gzip < 30 * 1024, `${gzip} bytes gzipped: more than the 30 KiB this page has needed so far`);
  });

  it('are named by their content hash, one script and one style', () => {
    assert.match(assets.script, /^\/assets\/app-[0-9a-f]{12}\.js$/);
    assert.match(assets.style, /^\/assets\/app-[0-9a-f]{12}\.css$/);
    assert.deepEqual([...assets.files.keys()].sort(), [assets.script, assets.style].sort());
  });

  it('go out brotli, gzip or plain, as the client accepts', () => {
    const js = assets.files.get(assets.script);
    assert.ok(js !== undefined);
    assert.equal(pickEncoding(js, 'gzip, deflate, br').encoding, 'br');
    assert.equal(pickEncoding(js, 'gzip').encoding, 'gzip');
    assert.equal(pickEncoding(js, undefined).encoding, null);
    assert.equal(pickEncoding(js, undefined).body, js.body);
  });

  it('contain no inline-script helpers the CSP would block', () => {
    const js = assets.files.get(assets.script)?.body.toString('utf8') ?? '';
    assert.doesNotMatch(js, /\beval\(|new Function\(|innerHTML|insertAdjacentHTML|document\.write/);
  });
});
