import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// A small Server-Sent Events client for the tests, reading the stream as a browser's EventSource
// does (fields event/id/data, comments, blank line ends an event), with a way to wait for what
// it expects.

export interface SseEvent {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

export type Target = { readonly socketPath: string } | { readonly host: string; readonly port: number };

export class SseClient {
  readonly status: number;
  readonly text: () => string;
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  #ended = false;
  readonly #req: ClientRequest;
  readonly #res: IncomingMessage;

  private constructor(req: ClientRequest, res: IncomingMessage) {
    this.#req = req;
    this.#res = res;
    this.status = res.statusCode ?? 0;
    let raw = '';
    let pending = '';
    let current: { event: string; id: string | null; data: string[] } = {
      event: 'message',
      id: null,
      data: [],
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      raw += chunk;
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (current.data.length > 0) this.events.push({ ...current, data: current.data.join('\n') });
          current = { event: 'message', id: null, data: [] };
        } else if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else {
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') current.event = value;
          else if (field === 'id') current.id = value;
          else if (field === 'data') current.data.push(value);
        }
      }
    });
    const end = (): void => {
      this.#ended = true;
    };
    res.on('end', end);
    res.on('close', end);
    res.on('error', end);
    this.text = () => raw;
  }

  static open(target: Target, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(
        { ...target, path, headers: { accept: 'text/event-stream', ...headers }, agent: false },
        (res) => {
          resolve(new SseClient(req, res));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** The data of each event, parsed as JSON. */
  json<T = Record<string, unknown>>(): T[] {
    return this.events.map((e) => JSON.parse(e.data) as T);
  }

  async waitFor(
    what: string,
    done: (events: readonly SseEvent[]) => boolean,
    timeoutMs = 30_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.events)) {
      if (Date.now() > deadline || (this.#ended && !done(this.events))) {
        throw new Error(
          `SSE: ${this.#ended ? 'the stream ended' : 'timed out'} waiting for ${what}; got:\n${this.text()}`,
        );
      }
      await sleep(50);
    }
  }

  async waitForEnd(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#ended) {
      if (Date.now() > deadline)
        throw new Error(`SSE: the stream did not end; got:\n${this.text().slice(-2000)}`);
      await sleep(50);
    }
  }

  close(): void {
    this.#res.destroy();
    this.#req.destroy();
  }
}
