// The CSRF tokens (masked per response, as gorilla/csrf does) and the origin check.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { maskToken, sameOrigin, tokenMatches } from '../../../src/web/csrf.js';

describe('CSRF tokens', () => {
  const secret = randomBytes(32);

  it('masks the secret anew every time, and every mask unmasks to it', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => maskToken(secret)));
    assert.equal(tokens.size, 50);
    for (const t of tokens) assert.equal(tokenMatches(t, secret), true);
  });

  it("refuses another session's token, a missing one and garbage", () => {
    assert.equal(tokenMatches(maskToken(randomBytes(32)), secret), false);
    assert.equal(tokenMatches(undefined, secret), false);
    assert.equal(tokenMatches('', secret), false);
    assert.equal(tokenMatches('x'.repeat(86), secret), false);
    assert.equal(tokenMatches(`${maskToken(secret)}A`, secret), false);
  });

  it('refuses the unmasked secret itself', () => {
    assert.equal(tokenMatches(secret.toString('base64url'), secret), false);
  });
});

describe('origin check', () => {
  const own = new Set(['https://tend.example:9443']);
  it('takes Origin first, then Referer, and refuses a request with neither', () => {
    assert.equal(sameOrigin({ origin: 'https://tend.example:9443' }, own), true);
    assert.equal(sameOrigin({ origin: 'https://evil.example' }, own), false);
    assert.equal(sameOrigin({ origin: 'null' }, own), false);
    assert.equal(
      sameOrigin({ origin: 'https://evil.example', referer: 'https://tend.example:9443/' }, own),
      false,
    );
    assert.equal(sameOrigin({ referer: 'https://tend.example:9443/x?y' }, own), true);
    assert.equal(sameOrigin({ referer: 'https://tend.example:9444/' }, own), false);
    assert.equal(sameOrigin({ referer: 'not a url' }, own), false);
    assert.equal(sameOrigin({}, own), false);
  });
});
