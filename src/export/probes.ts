import type { ProbeSpec } from '../config/index.js';

// The parts of a probe the targets need: the port an orchestrator can reach, the HTTP path.

export interface HttpParts {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** Path with its query. */
  readonly path: string;
}

export const httpParts = (url: string): HttpParts => {
  const u = new URL(url);
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const port = u.port === '' ? (scheme === 'https' ? 443 : 80) : Number(u.port);
  return { scheme, host: u.hostname, port, path: `${u.pathname}${u.search}` || '/' };
};

/** The TCP port a probe talks to, or null for an exec probe. */
export const probePort = (probe: ProbeSpec): number | null => {
  switch (probe.kind) {
    case 'tcp':
      return probe.port;
    case 'http':
      return httpParts(probe.url).port;
    case 'exec':
      return null;
  }
};

/** Whether a probe aims at this host only (an orchestrator's probe comes from outside the process). */
export const probeHost = (probe: ProbeSpec): string | null => {
  switch (probe.kind) {
    case 'tcp':
      return probe.host;
    case 'http':
      return httpParts(probe.url).host;
    case 'exec':
      return null;
  }
};
