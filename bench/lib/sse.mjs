// Clients of tend's event stream (GET /api/v1/events, Server-Sent Events) for the fan-out
// workload: each records, for every event, how long after the daemon stamped it (`time`, epoch
// ms, the same clock) the client had it. Parsing is kept to the `time` field so that the bench
// process measures the daemon, not its own JSON parsing.
import http from 'node:http';

const TIME = /"time":(\d+)\}$/;

class EventClient {
  constructor(socketPath, path) {
    this.latencies = [];
    this.events = 0;
    this.ended = false;
    this.recording = false;
    this.ready = new Promise((resolve, reject) => {
      this.req = http.request({ socketPath, path, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        this.res = res;
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          const at = Date.now();
          const lines = (pending + chunk).split('\n');
          pending = lines.pop();
          for (const line of lines) this.line(line, at);
        });
        res.on('close', () => {
          this.ended = true;
        });
        resolve();
      });
      this.req.on('error', (error) => {
        this.ended = true;
        reject(error);
      });
      this.req.end();
    });
  }

  line(line, at) {
    if (!line.startsWith('data:') || !this.recording) return;
    const match = TIME.exec(line);
    if (!match) return;
    this.events++;
    this.latencies.push(at - Number(match[1]));
  }

  close() {
    this.res?.destroy();
    this.req?.destroy();
  }
}

// Opens `count` streams of `path` and resolves once each has its response headers.
export const openEventStreams = async (socketPath, count, path) => {
  const clients = Array.from({ length: count }, () => new EventClient(socketPath, path));
  await Promise.all(clients.map((c) => c.ready));
  return clients;
};

// The value at quantile q (0..1) of the numbers.
export const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
