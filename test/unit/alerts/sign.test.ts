// The webhook signature: a vector computed by `openssl dgst -sha256 -hmac`, and what a receiver
// must refuse (another body, another key, an old or future timestamp, a malformed header).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signature, verifySignature } from '../../../src/alerts/index.js';

const SECRET = 'sixteen-chars-ok';
const BODY = '{"a":1}';
const AT = 1_700_000_000_000;
// printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'sixteen-chars-ok'
const VECTOR = 'c65ac6be2aac9f4b26009a5fed5e380bbb11d2ca3150352a04ace6fa771a4235';

describe('webhook signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    assert.equal(signature(SECRET, BODY, AT + 999), `t=1700000000,v1=${VECTOR}`);
  });

  it('verifies within the tolerance, and only the same body under the same key', () => {
    const header = signature(SECRET, BODY, AT);
    assert.ok(verifySignature(SECRET, BODY, header, { nowMs: AT + 299_000 }));
    assert.ok(!verifySignature(SECRET, '{"a":2}', header, { nowMs: AT }));
    assert.ok(!verifySignature('another-secret-16', BODY, header, { nowMs: AT }));
    assert.ok(!verifySignature(SECRET, BODY, header, { nowMs: AT + 301_000 }), 'a replay too late');
    assert.ok(!verifySignature(SECRET, BODY, header, { nowMs: AT - 301_000 }), 'from the future');
    assert.ok(verifySignature(SECRET, BODY, header, { nowMs: AT + 3_600_000, toleranceSecs: 3600 }));
  });

  it('refuses malformed headers without throwing', () => {
    for (const header of ['', 't=1700000000', `v1=${VECTOR}`, `t=abc,v1=${VECTOR}`, 't=1700000000,v1=zz']) {
      assert.ok(!verifySignature(SECRET, BODY, header, { nowMs: AT }), header);
    }
  });
});
