import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AlertConfig } from '../config/index.js';
import { TEND_VERSION } from '../version.js';
import { renderJson, renderSlack } from './message.js';
import { SIGNATURE_HEADER, signature } from './sign.js';
import { ATTEMPT_TIMEOUT_MS, type Delivery, type Transport } from './transport.js';

// A webhook: one JSON POST per message, without keep-alive (alerts are rare, and an idle socket
// would only hold the daemon's exit). Any 2xx is taken; a redirect is not followed (a signed body
// must not wander), so 3xx fails like 4xx and 5xx. https is loaded on first use.

/** Bytes of a response body read (for the log) before the rest is discarded. */
const MAX_ANSWER = 512;

const send = async (url: URL, headers: Record<string, string>, body: string): Promise<void> => {
  const request = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
    });
    // The socket's idle timeout alone would let a receiver that trickles bytes hold on forever.
    const deadline = setTimeout(() => {
      req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000}s`));
    }, ATTEMPT_TIMEOUT_MS);
    req.on('close', () => {
      clearTimeout(deadline);
    });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      let answer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (answer.length < MAX_ANSWER) answer += chunk.slice(0, MAX_ANSWER - answer.length);
      });
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`HTTP ${status}${answer.trim() === '' ? '' : `: ${answer.trim()}`}`));
      });
    });
    req.end(body);
  });
};

export const webhookTransport = (alert: AlertConfig, url: string, now: () => number): Transport => {
  const target = new URL(url);
  return (delivery: Delivery) => {
    const document = alert.format === 'slack' ? renderSlack(delivery.message) : renderJson(delivery.message);
    const body = JSON.stringify(document);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': `tend/${TEND_VERSION}`,
      'tend-alert': alert.name,
      'tend-delivery': delivery.id,
      'tend-attempt': String(delivery.attempt),
    };
    if (alert.secret !== null) headers[SIGNATURE_HEADER] = signature(alert.secret, body, now());
    return send(target, headers, body);
  };
};
