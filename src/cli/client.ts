import { request as httpRequest, Agent, type IncomingMessage, type RequestOptions } from 'node:http';
import { TendError, isErrorCode } from '../errors/index.js';

// The CLI's only way to the daemon: JSON over HTTP on the daemon's unix socket or TCP port.
// One keep-alive agent per client, so a command that makes several calls reuses one connection.

export interface ServerTarget {
  /** `unix:///path/to.sock` or `http://host:port`, as supervisorctl's serverurl. */
  readonly url: string;
  readonly username: string | null;
  readonly password: string | null;
  /** How this server was chosen (`server … from [unix_http_server] file in …`, `config … given with -c`). */
  readonly origin: readonly string[];
  /** The config file it came from, if any. */
  readonly config: string | null;
}

export interface Response<T> {
  readonly status: number;
  readonly body: T;
}

interface ErrorEnvelope {
  readonly error?: { readonly code?: string; readonly message?: string; readonly hint?: string };
}

const connection = (url: string): Pick<RequestOptions, 'socketPath' | 'host' | 'port'> => {
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) };
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:')
    throw new TendError('VALIDATION', `server URL must be unix:// or http://, got ${url}`);
  return { host: parsed.hostname, port: Number(parsed.port || 80) };
};

export class Client {
  readonly target: ServerTarget;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(target: ServerTarget) {
    this.target = target;
  }

  close(): void {
    this.#agent.destroy();
  }

  /** Sends a request; a non-2xx answer is thrown as the TendError the daemon described. */
  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await this.#send<T>(method, path, body);
    if (response.status >= 200 && response.status < 300) return response.body;
    throw this.#failure(response.status, JSON.stringify(response.body));
  }

  /**
   * GETs an NDJSON stream and hands each object to `onItem` until the server ends it or
   * `signal` aborts (which resolves, it is how a follower stops). A non-2xx answer is thrown.
   */
  stream(path: string, onItem: (item: unknown) => void, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          ...connection(this.target.url),
          method: 'GET',
          path,
          headers: this.#headers(false),
          agent: this.#agent,
          signal,
        },
        (res) => {
          if ((res.statusCode ?? 0) >= 300) {
            collect(res, (text) => {
              reject(this.#failure(res.statusCode ?? 0, text));
            });
            return;
          }
          let pending = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const lines = (pending + chunk).split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) if (line !== '') onItem(JSON.parse(line));
          });
          res.on('end', () => {
            resolve();
          });
          res.on('error', () => {
            resolve();
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (signal?.aborted === true) resolve();
        else reject(unreachable(this.target, error));
      });
      req.end();
    });
  }

  /**
   * GETs a never-ending response (the SSE event stream) and resolves with it once the daemon
   * answers 2xx; a non-2xx answer is thrown. The caller reads it until it ends or `signal` aborts.
   */
  open(path: string, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers = { ...this.#headers(false), accept: 'text/event-stream' };
      const req = httpRequest(
        { ...connection(this.target.url), method: 'GET', path, headers, agent: this.#agent, signal },
        (res) => {
          if ((res.statusCode ?? 0) < 300) {
            resolve(res);
            return;
          }
          collect(res, (text) => {
            reject(this.#failure(res.statusCode ?? 0, text));
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(signal?.aborted === true ? error : unreachable(this.target, error));
      });
      req.end();
    });
  }

  #headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json) headers['content-type'] = 'application/json';
    const { username, password } = this.target;
    if (username !== null && password !== null) {
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    return headers;
  }

  #failure(status: number, text: string): TendError {
    let error: ErrorEnvelope['error'];
    try {
      error = (JSON.parse(text) as ErrorEnvelope).error;
    } catch {
      error = undefined;
    }
    const code = error?.code !== undefined && isErrorCode(error.code) ? error.code : 'INTERNAL';
    return new TendError(code, error?.message ?? `HTTP ${status}`, { hint: error?.hint });
  }

  #send<T>(method: string, path: string, body: unknown): Promise<Response<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = this.#headers(payload !== undefined);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { ...connection(this.target.url), method, path, headers, agent: this.#agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: (text === '' ? {} : JSON.parse(text)) as T });
            } catch {
              reject(
                new TendError('INTERNAL', `unexpected answer from ${this.target.url}: ${text.slice(0, 200)}`),
              );
            }
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(unreachable(this.target, error));
      });
      req.end(payload);
    });
  }
}

const collect = (stream: NodeJS.ReadableStream, done: (text: string) => void): void => {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => {
    done(Buffer.concat(chunks).toString('utf8'));
  });
};

const REASONS: Partial<Record<string, string>> = {
  ECONNREFUSED: 'refused connection',
  ENOENT: 'no such file',
  EACCES: 'permission denied',
};

// supervisorctl's words for the failure (`unix:///x.sock no such file`), then where that address
// came from, so a daemon that is not there is told apart from a config that was not meant.
const unreachable = (target: ServerTarget, error: NodeJS.ErrnoException): TendError => {
  const reason = REASONS[error.code ?? ''] ?? error.code ?? error.message;
  const start = target.config === null ? '`tend daemon -c FILE`' : `\`tend daemon -c ${target.config}\``;
  return new TendError('UNREACHABLE', `${target.url} ${reason}`, {
    hint: [...target.origin, `is the daemon running? start it with ${start}`].join('\n'),
    cause: error,
  });
};
