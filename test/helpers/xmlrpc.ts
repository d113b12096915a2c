import { request } from 'node:http';
import { decodeResponse, type XmlRpcResponse } from '../../src/api/xmlrpc/decode.js';
import { encodeCall } from '../../src/api/xmlrpc/encode.js';
import type { XmlRpcValue } from '../../src/api/xmlrpc/values.js';

// A minimal XML-RPC client for tests: one call per request, over a unix socket or TCP, with
// optional Basic auth. Throws on a non-200 answer (as xmlrpclib's ProtocolError).

export interface RpcTarget {
  readonly socketPath?: string;
  readonly port?: number;
  readonly auth?: string;
}

export const rawPost = (
  target: RpcTarget,
  body: string | Buffer,
  headers: Record<string, string> = {},
  path = '/RPC2',
  method = 'POST',
): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        ...(target.socketPath === undefined
          ? { host: '127.0.0.1', port: target.port }
          : { socketPath: target.socketPath }),
        method,
        path,
        headers: {
          'content-type': 'text/xml',
          ...(target.auth === undefined
            ? {}
            : { authorization: `Basic ${Buffer.from(target.auth).toString('base64')}` }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });

export const rpc = async (
  target: RpcTarget,
  method: string,
  ...params: XmlRpcValue[]
): Promise<XmlRpcResponse> => {
  const res = await rawPost(target, encodeCall(method, params));
  if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${res.body.toString()}`);
  return decodeResponse(res.body);
};

/** The value of a call that must succeed. */
export const rpcValue = async (
  target: RpcTarget,
  method: string,
  ...params: XmlRpcValue[]
): Promise<XmlRpcValue> => {
  const res = await rpc(target, method, ...params);
  if (res.fault !== null) throw new Error(`${method}: fault ${res.fault.faultCode} ${res.fault.faultString}`);
  return res.value;
};
