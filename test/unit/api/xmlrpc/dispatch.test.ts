import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResponse } from '../../../../src/api/xmlrpc/decode.js';
import { encodeCall } from '../../../../src/api/xmlrpc/encode.js';
import type { XmlRpcValue } from '../../../../src/api/xmlrpc/values.js';
import { pumping, testApi, type TestApi } from '../../../helpers/api.js';

// The XML-RPC endpoint in-process: routing by prefix, the SHUTDOWN_STATE guard and its
// exceptions, daemon actions, and the HTTP answers to bodies that are not XML-RPC.

const call = async (api: TestApi, method: string, ...params: XmlRpcValue[]) => {
  const res = await pumping(
    api.clock,
    api.app.inject({
      method: 'POST',
      url: '/RPC2',
      payload: encodeCall(method, params),
      headers: { 'content-type': 'text/xml' },
    }),
  );
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'text/xml');
  return decodeResponse(res.rawPayload);
};

describe('XML-RPC endpoint', () => {
  it('answers on any path that starts with /RPC2, whatever the content type', async () => {
    const api = testApi();
    for (const url of ['/RPC2', '/RPC2/', '/RPC2xyz?a=b']) {
      const res = await api.app.inject({
        method: 'POST',
        url,
        payload: encodeCall('supervisor.getAPIVersion', []),
        headers: { 'content-type': 'application/octet-stream' },
      });
      assert.deepEqual(decodeResponse(res.rawPayload), { fault: null, value: '3.0' });
    }
  });

  it('while shutting down: SHUTDOWN_STATE for supervisor.*, but arity first, and system.* and sendRemoteCommEvent still answer', async () => {
    const api = testApi();
    api.sup.setState('SHUTDOWN');
    assert.deepEqual(await call(api, 'supervisor.getState'), {
      fault: { faultCode: 6, faultString: 'SHUTDOWN_STATE' },
    });
    assert.deepEqual(await call(api, 'supervisor.getProcessInfo'), {
      fault: { faultCode: 2, faultString: 'INCORRECT_PARAMETERS' },
    });
    assert.equal(
      ((await call(api, 'system.listMethods')) as unknown as { value: string[] }).value.length,
      41,
    );
    assert.deepEqual(await call(api, 'supervisor.sendRemoteCommEvent', 'a', 'b'), {
      fault: null,
      value: true,
    });
  });

  it('hands shutdown and restart to the daemon and answers true at once', async () => {
    const api = testApi();
    assert.deepEqual(await call(api, 'supervisor.restart'), { fault: null, value: true });
    assert.deepEqual(await call(api, 'supervisor.shutdown'), { fault: null, value: true });
    assert.deepEqual(api.calls, ['restart', 'shutdown']);
  });

  it('starts and stops with supervisord results, group and all', async () => {
    const api = testApi();
    const started = await call(api, 'supervisor.startAllProcesses');
    assert.deepEqual(
      (started as unknown as { value: { name: string; status: number }[] }).value.map(
        (r) => `${r.name}:${r.status}`,
      ),
      ['web:80', 'idle:80', 'p1:80', 'p2:80'],
      'startsecs=0 (web) is known at once; idle, p1, p2 wait for startsecs; each part in priority order',
    );
    const stopped = await call(api, 'supervisor.stopProcessGroup', 'pool');
    assert.deepEqual(
      (stopped as unknown as { value: { name: string }[] }).value.map((r) => r.name),
      ['p1', 'p2'],
    );
    assert.deepEqual(await call(api, 'supervisor.stopProcess', 'pool:*'), { fault: null, value: [] });
  });

  it('answers 400 to what is not XML-RPC and 413 to bodies over 1 MiB', async () => {
    const { app } = testApi();
    const post = (payload: string | Buffer) =>
      app.inject({ method: 'POST', url: '/RPC2', payload, headers: { 'content-type': 'text/xml' } });
    assert.equal((await post('<methodCall>')).statusCode, 400);
    assert.equal(
      (await post('<!DOCTYPE x [<!ENTITY a "b">]><methodCall><methodName>&a;</methodName></methodCall>'))
        .statusCode,
      400,
    );
    const big = await post(Buffer.alloc(2 * 1024 * 1024, 'a'));
    assert.equal(big.statusCode, 413);
    assert.equal(big.json<{ error: { code: string } }>().error.code, 'PAYLOAD_TOO_LARGE');
    const after = await post(encodeCall('supervisor.getAPIVersion', []));
    assert.equal(after.statusCode, 200);
  });
});
