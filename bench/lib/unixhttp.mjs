// HTTP/1.1 over a unix socket with one keep-alive connection: the transport of both control
// APIs the bench speaks (tend's JSON API and XML-RPC at /RPC2).
import http from 'node:http';

export class HttpStatusError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.status = status;
  }
}

export class UnixHttpClient {
  constructor(socketPath) {
    this.socketPath = socketPath;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  // Resolves the response body (string) for a 2xx answer; rejects with HttpStatusError otherwise.
  request(method, path, { body, headers = {}, timeoutMs = 30_000 } = {}) {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.socketPath,
          path,
          method,
          agent: this.agent,
          headers: body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode >= 200 && res.statusCode < 300) resolve(text);
            else reject(new HttpStatusError(res.statusCode, text));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  async json(method, path) {
    return JSON.parse(await this.request(method, path, { headers: { Accept: 'application/json' } }));
  }

  // Drops the kept-alive connection (before an idle measurement, and at the end).
  close() {
    this.agent.destroy();
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }
}
