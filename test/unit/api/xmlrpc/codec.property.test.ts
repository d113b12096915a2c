import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCall, decodeResponse } from '../../../../src/api/xmlrpc/decode.js';
import { encodeCall, encodeResponse } from '../../../../src/api/xmlrpc/encode.js';
import type { XmlRpcValue } from '../../../../src/api/xmlrpc/values.js';
import { isTendError } from '../../../../src/errors/index.js';
import { fuzzParams, xmlrpcFragment as fragment } from '../../../helpers/fuzz.js';

// Properties of the XML-RPC codec: no input makes the decoder throw anything but a VALIDATION
// error (which the route answers with 400), and every value survives encode → decode.

const outcome = (body: Buffer): 'ok' | 'refused' => {
  try {
    decodeCall(body);
    return 'ok';
  } catch (error) {
    if (isTendError(error) && error.code === 'VALIDATION') return 'refused';
    throw error;
  }
};

const sanitize = (text: string): string =>
  text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

// Values the encoder can write, and what the decoder must give back for them.
const leaf = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
  fc
    .date({
      min: new Date('1000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000)),
);
const { value } = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .array(fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), tie('value')), { maxLength: 5 })
      .map((entries) => {
        const out = Object.create(null) as Record<string, XmlRpcValue>;
        for (const [k, v] of entries) out[k] = v;
        return out;
      }),
  ),
}));

/** What a value looks like after a trip through XML: forbidden characters became U+FFFD. */
const expected = (v: XmlRpcValue): XmlRpcValue => {
  if (typeof v === 'string') return sanitize(v);
  if (Array.isArray(v)) return (v as XmlRpcValue[]).map(expected);
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const out = Object.create(null) as Record<string, XmlRpcValue>;
    for (const [k, m] of Object.entries(v)) out[sanitize(k)] = expected(m);
    return out;
  }
  return v;
};

describe('XML-RPC codec properties', () => {
  it('any bytes: a value or a 400, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        outcome(Buffer.from(bytes));
      }),
      fuzzParams('xmlrpc decoder, any bytes', 2000),
    );
  });

  it('XML-ish documents: a value or a 400, never a crash', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 60 }), (parts) => {
        outcome(Buffer.from(parts.join('')));
      }),
      fuzzParams('xmlrpc decoder, XML-ish documents', 3000),
    );
  });

  it('well-formed calls with arbitrary values round-trip through encode and decode', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.array(value, { maxLength: 4 }),
        (method, params) => {
          fc.pre(sanitize(method).trim() !== '' && !/[\r]/.test(method));
          const call = decodeCall(Buffer.from(encodeCall(method, params)));
          assert.equal(call.method, sanitize(method));
          assert.deepEqual(call.params, params.map(expected));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('responses round-trip too', () => {
    fc.assert(
      fc.property(value, (v) => {
        assert.deepEqual(decodeResponse(Buffer.from(encodeResponse(v))), { fault: null, value: expected(v) });
      }),
      { numRuns: 1000 },
    );
  });
});
