import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { hashPassword } from '../../src/api/scrypt.js';
import { startDaemon, type Daemon, type DaemonOptions } from './daemon.js';

// The dashboard as users reach it: a real daemon with [web_server] on a free loopback port, and
// an HTTPS client that keeps the session cookie and the latest CSRF token as a page does. The
// client trusts exactly the certificate the daemon generated (its file is the only CA).

export const WEB_PASSWORD = 'correct horse battery';
let hash: Promise<string> | undefined;
/** One scrypt hash per test file (each costs ~0.4 s). */
export const webHash = (): Promise<string> => (hash ??= hashPassword(WEB_PASSWORD));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });

export interface WebDaemon {
  readonly daemon: Daemon;
  readonly port: number;
  readonly origin: string;
  /** The fingerprint the daemon logged. */
  readonly fingerprint: string;
  readonly cert: string;
  readonly client: () => WebClient;
}

/** [web_server] with an operator `admin`, viewers `viewer` and `target` (for brute force), all with WEB_PASSWORD. */
export const webSection = async (port: number, extra = ''): Promise<string> => {
  const h = await webHash();
  return `[web_server]\nport = 127.0.0.1:${port}\nusername = admin\npassword = ${h}\n${extra}\n[web_user:viewer]\npassword = ${h}\nrole = viewer\n\n[web_user:target]\npassword = ${h}\n`;
};

export const startWebDaemon = async (
  body: string,
  options: DaemonOptions & { webExtra?: string; certFile?: string } = {},
): Promise<WebDaemon> => {
  const port = await freePort();
  const daemon = await startDaemon(`${await webSection(port, options.webExtra)}\n${body}`, options);
  const match = await daemon.waitForOutput(/dashboard: \S+ \(certificate SHA-256 fingerprint ([0-9A-F:]+)\)/);
  const cert = readFileSync(options.certFile ?? path.join(daemon.dir, 'tend.pid.web.crt'), 'utf8');
  const origin = `https://127.0.0.1:${port}`;
  return { daemon, port, origin, fingerprint: match[1] ?? '', cert, client: () => new WebClient(port, cert) };
};

export interface WebResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly fingerprint: string;
  json(): unknown;
}

export interface WebRequest {
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Form fields, sent as application/x-www-form-urlencoded. */
  readonly form?: Record<string, string>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Origin header; the dashboard's own by default, null for none. */
  readonly origin?: string | null;
  /** Send the CSRF token (default true). */
  readonly token?: boolean;
}

const bodyOf = (r: WebRequest): { body?: string; type?: string } => {
  if (r.form !== undefined)
    return { body: new URLSearchParams(r.form).toString(), type: 'application/x-www-form-urlencoded' };
  if (r.json !== undefined) return { body: JSON.stringify(r.json), type: 'application/json' };
  return r.body === undefined ? {} : { body: r.body };
};

export class WebClient {
  readonly port: number;
  readonly #ca: string;
  cookie: string | undefined;
  token: string | undefined;

  constructor(port: number, ca: string) {
    this.port = port;
    this.#ca = ca;
  }

  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  send(method: string, urlPath: string, r: WebRequest = {}): Promise<WebResponse> {
    const { body, type } = bodyOf(r);
    const headers: Record<string, string> = { ...(type === undefined ? {} : { 'content-type': type }) };
    if (this.cookie !== undefined) headers.cookie = this.cookie;
    if (r.origin !== null) headers.origin = r.origin ?? this.origin;
    if (r.token !== false && this.token !== undefined && method !== 'GET')
      headers['x-csrf-token'] = this.token;
    Object.assign(headers, r.headers);
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, method, path: urlPath, headers, ca: this.#ca },
        (res) => {
          const chunks: Buffer[] = [];
          const fingerprint = (
            res.socket as unknown as Pick<TLSSocket, 'getPeerCertificate'>
          ).getPeerCertificate().fingerprint256;
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            this.#remember(res.headers);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              fingerprint,
              json: () => JSON.parse(text) as unknown,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  #remember(headers: Record<string, string | string[] | undefined>): void {
    const token = headers['x-csrf-token'];
    if (typeof token === 'string') this.token = token;
    const set = headers['set-cookie']?.[0];
    if (set !== undefined) this.cookie = set.split(';')[0]?.endsWith('=') ? undefined : set.split(';')[0];
  }

  /** GET /login (an anonymous session and its token), then POST the form. */
  async login(username: string, password = WEB_PASSWORD): Promise<WebResponse> {
    const page = await this.send('GET', '/login');
    this.token = tokenIn(page.text);
    const res = await this.send('POST', '/login', {
      form: { username, password, csrf: this.token ?? '' },
      token: false,
    });
    // As a browser does after the redirect: the dashboard's page brings the new session's token.
    if (res.status === 303) await this.send('GET', '/');
    return res;
  }
}

/** The token a server-made page carries. */
export const tokenIn = (html: string): string | undefined => /name="csrf" value="([^"]+)"/.exec(html)?.[1];
