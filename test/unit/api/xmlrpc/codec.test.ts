import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCall, decodeResponse } from '../../../../src/api/xmlrpc/decode.js';
import { encodeCall, encodeFault, encodeResponse } from '../../../../src/api/xmlrpc/encode.js';
import { MAX_DEPTH } from '../../../../src/api/xmlrpc/tree.js';

const call = (params: string, method = 'm'): Buffer =>
  Buffer.from(`<?xml version="1.0"?><methodCall><methodName>${method}</methodName>${params}</methodCall>`);

const param = (value: string): string => `<params><param><value>${value}</value></param></params>`;

const decoded = (value: string): unknown => decodeCall(call(param(value))).params[0];

const refused = (body: Buffer | string, reason: RegExp): void => {
  assert.throws(
    () => decodeCall(Buffer.from(body)),
    (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'VALIDATION');
      assert.match((error as Error).message, reason);
      return true;
    },
  );
};

describe('XML-RPC decoder (supervisord dialect)', () => {
  it('reads every type supervisord reads', () => {
    assert.equal(decoded('<int>42</int>'), 42);
    assert.equal(decoded('<i4> -7 </i4>'), -7);
    assert.equal(decoded('<int>1_000</int>'), 1000);
    assert.equal(decoded('<boolean>1</boolean>'), true);
    assert.equal(decoded('<boolean>0</boolean>'), false);
    assert.equal(decoded('<boolean>true</boolean>'), false, "Python compares with '1'");
    assert.equal(decoded('<string>a &amp; b</string>'), 'a & b');
    assert.equal(decoded('<string></string>'), '');
    assert.equal(decoded('<string><![CDATA[<x>]]></string>'), '<x>');
    assert.equal(decoded('bare text'), 'bare text');
    assert.equal(decoded(''), '');
    assert.equal(decoded('<double>2.5</double>'), 2.5);
    assert.equal(decoded('<double>-1e-07</double>'), -1e-7);
    assert.ok(Number.isNaN(decoded('<double>nan</double>')));
    assert.deepEqual(
      decoded('<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>'),
      new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    );
    assert.equal(decoded('<base64>aMOpbGxv</base64>'), 'héllo');
    assert.deepEqual(decoded('<array><data><value><int>1</int></value><value>x</value></data></array>'), [
      1,
      'x',
    ]);
    assert.equal(decoded('<nil/>'), null);
    const struct = decoded(
      '<struct><member><name>__proto__</name><value><int>1</int></value></member></struct>',
    );
    assert.equal(Object.getPrototypeOf(struct), null);
    assert.deepEqual(Object.entries(struct as object), [['__proto__', 1]]);
  });

  it('takes a missing <params> as no parameters and the last methodName', () => {
    assert.deepEqual(decodeCall(Buffer.from('<methodCall><methodName>a.b</methodName></methodCall>')), {
      method: 'a.b',
      params: [],
    });
    const twice = '<methodCall><methodName>first</methodName><methodName>last</methodName></methodCall>';
    assert.equal(decodeCall(Buffer.from(twice)).method, 'last');
  });

  it('reads a response by the first <params> or <fault> that ends', () => {
    const fault =
      '<fault><value><struct><member><name>faultCode</name><value><int>10</int></value></member>' +
      '<member><name>faultString</name><value><string>BAD_NAME</string></value></member></struct></value></fault>';
    const params = '<params><param><value><string>ok</string></value></param></params>';
    const response = (body: string): Buffer => Buffer.from(`<methodResponse>${body}</methodResponse>`);
    assert.deepEqual(decodeResponse(response(params + fault)), { fault: null, value: 'ok' });
    assert.deepEqual(decodeResponse(response(fault + params)), {
      fault: { faultCode: 10, faultString: 'BAD_NAME' },
    });
  });

  it('refuses what supervisord answers 400 to', () => {
    refused('not xml', /malformed/);
    refused('<methodCall><params/></methodCall>', /no method name/);
    refused(call('', ''), /no method name/);
    refused(call(param('<int>x</int>')), /not an integer/);
    refused(call(param('<int></int>')), /not an integer/);
    refused(call(param('<double>1.2.3</double>')), /not a double/);
    refused(call(param('<array></array>')), /empty/);
    refused(call(param('<struct><member><name>a</name></member></struct>')), /name and a value/);
    refused(call(param('<base64>!!!</base64>')), /base64/);
  });

  it('never reads a DTD: DOCTYPE and entities are refused, not expanded', () => {
    refused(
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><methodCall><methodName>&lol2;</methodName></methodCall>',
      /DOCTYPE/,
    );
    refused('<methodCall><methodName>&xxe;</methodName></methodCall>', /undefined entity/);
  });

  it('caps nesting and refuses bytes that are not UTF-8', () => {
    const deep = '<value><array><data>'.repeat(MAX_DEPTH);
    refused(call(param(deep)), /nest deeper/);
    refused(
      Buffer.concat([
        Buffer.from('<methodCall><methodName>'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('</methodName></methodCall>'),
      ]),
      /UTF-8/,
    );
    refused(call(param('<string>\u0001</string>')), /disallowed character/);
  });

  it('honours an ISO-8859-1 declaration', () => {
    const body = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><methodCall><methodName>m</methodName>'),
      Buffer.from(param('<string>caf\u00e9</string>'), 'latin1'),
      Buffer.from('</methodCall>'),
    ]);
    assert.equal(decodeCall(body).params[0], 'café');
  });
});

describe('XML-RPC encoder (xmlrpclib.dumps)', () => {
  it('writes responses byte for byte as Python does', () => {
    assert.equal(
      encodeResponse([1, true, 'a<b>&c', -5, 2.5, { k: [] }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5))]),
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><int>1</int></value>\n<value><boolean>1</boolean></value>\n<value><string>a&lt;b&gt;&amp;c</string></value>\n<value><int>-5</int></value>\n<value><double>2.5</double></value>\n<value><struct>\n<member>\n<name>k</name>\n<value><array><data>\n</data></array></value>\n</member>\n</struct></value>\n<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n",
    );
    assert.equal(
      encodeCall('supervisor.startProcess', ['web', 0, false]),
      "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.startProcess</methodName>\n<params>\n<param>\n<value><string>web</string></value>\n</param>\n<param>\n<value><int>0</int></value>\n</param>\n<param>\n<value><boolean>0</boolean></value>\n</param>\n</params>\n</methodCall>\n",
    );
    assert.equal(
      encodeFault({ faultCode: 10, faultString: 'BAD_NAME: foo' }),
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>BAD_NAME: foo</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    );
  });

  it('caps integers to ±(2^31-1), replaces characters XML forbids and keeps carriage returns', () => {
    assert.match(encodeResponse(2 ** 40), /<int>2147483647<\/int>/);
    assert.match(encodeResponse(-(2 ** 40)), /<int>-2147483648<\/int>/);
    const text = encodeResponse('a\u0000b\u001b[31mc\r\n\ud800');
    assert.match(text, /<string>a\uFFFDb\uFFFD\[31mc&#13;\n\uFFFD<\/string>/);
    const back = decodeResponse(Buffer.from(text));
    assert.deepEqual(back, { fault: null, value: 'a\uFFFDb\uFFFD[31mc\r\n\uFFFD' });
  });
});
