import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

// A webhook receiver for the alert tests: a real HTTP server on a free port that records every
// POST, answers with the status the test asks for, and checks tend's signature the way
// docs/alerts.md tells a receiver to, written out here independently of src/alerts/sign.ts.

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** null: no signature header; else whether it verified. */
  readonly signed: boolean | null;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Statuses to answer with, in order; 200 once they run out. */
  readonly answers: number[];
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
}

const verify = (secret: string, body: string, header: string): boolean => {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** With `tls`, an HTTPS receiver with that certificate (PEM files). */
export const startReceiver = async (
  secret: string | null = null,
  tls?: { cert: string; key: string },
): Promise<Receiver> => {
  const received: Received[] = [];
  const answers: number[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['tend-signature'];
      const signed = typeof header === 'string' && secret !== null ? verify(secret, body, header) : null;
      received.push({ path: req.url ?? '', headers: req.headers, body, signed });
      res.statusCode = answers.shift() ?? 200;
      res.end(res.statusCode === 200 ? 'ok' : 'try later');
    });
  };
  const server: Server =
    tls === undefined
      ? createServer(handler)
      : createTlsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  after(() => {
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    received,
    answers,
    waitFor: async (count, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`received ${received.length} of ${count} POSTs`);
        await sleep(50);
      }
      return received;
    },
  };
};

/** A port nothing listens on: bound, then closed. */
export const deadPort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
};
