import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HttpExpectation, ProbeSpec } from '../config/types.js';

// The checks a website observer makes: can I connect, does the URL answer with an expected status
// and header, does the check command exit 0. Each probe resolves to a result, never rejects, and
// gives up after its timeout.

export interface ProbeResult {
  readonly ok: boolean;
  /** What was observed, for status lines and spawnerr: `HTTP 503`, `ECONNREFUSED`, `exit 1: …`. */
  readonly detail: string;
}

/** The subset of process/spawn.ts runCommand that exec probes need (readiness cannot import it). */
export type CommandRunner = (
  argv: readonly string[],
  options: { readonly timeoutMs: number },
) => Promise<{ code: number | null; timedOut: boolean; output: string; error: string | null }>;

export interface ProbeContext {
  readonly timeoutMs: number;
  readonly expect: HttpExpectation;
  readonly run: CommandRunner;
}

const errorText = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message;
};

export const probeTcp = (host: string, port: number, timeoutMs: number): Promise<ProbeResult> =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: ProbeResult): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => {
      done({ ok: false, detail: `no connection within ${timeoutMs}ms` });
    });
    socket.once('connect', () => {
      done({ ok: true, detail: `connected to ${host}:${port}` });
    });
    socket.once('error', (error) => {
      done({ ok: false, detail: errorText(error) });
    });
  });

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Whether a response meets healthcheck_expect_status and healthcheck_expect_header. */
export const classifyHttp = (
  status: number,
  headers: IncomingHttpHeaders,
  expect: HttpExpectation,
): ProbeResult => {
  if (!expect.status.some((r) => status >= r.from && status <= r.to)) {
    return { ok: false, detail: `HTTP ${status}` };
  }
  const header = expect.header;
  if (header !== null) {
    const value = headerValue(headers, header.name);
    if (value === undefined) return { ok: false, detail: `HTTP ${status} without ${header.name}` };
    if (!value.toLowerCase().includes(header.contains.toLowerCase())) {
      return { ok: false, detail: `HTTP ${status} with ${header.name}: ${value}` };
    }
  }
  return { ok: true, detail: `HTTP ${status}` };
};

export const probeHttp = (url: string, expect: HttpExpectation, timeoutMs: number): Promise<ProbeResult> =>
  new Promise((resolve) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = request(url, { method: 'GET', headers: { 'user-agent': 'tend-healthcheck' } }, (res) => {
      res.resume();
      finish(classifyHttp(res.statusCode ?? 0, res.headers, expect));
    });
    const timer = setTimeout(() => {
      finish({ ok: false, detail: `no response within ${timeoutMs}ms` });
    }, timeoutMs);
    req.once('error', (error) => {
      finish({ ok: false, detail: errorText(error) });
    });
    req.end();
  });

const firstLine = (text: string): string => text.trim().split('\n')[0]?.slice(0, 200) ?? '';

export const probeExec = async (
  argv: readonly string[],
  run: CommandRunner,
  timeoutMs: number,
): Promise<ProbeResult> => {
  const result = await run(argv, { timeoutMs });
  if (result.error !== null) return { ok: false, detail: `cannot run ${argv[0] ?? ''}: ${result.error}` };
  if (result.timedOut) return { ok: false, detail: `no exit within ${timeoutMs}ms` };
  const output = firstLine(result.output);
  const detail = `exit ${result.code ?? 'by signal'}${output === '' ? '' : `: ${output}`}`;
  return { ok: result.code === 0, detail };
};

/** Runs one probe of any kind. */
export const runProbe = (spec: ProbeSpec, context: ProbeContext): Promise<ProbeResult> => {
  switch (spec.kind) {
    case 'tcp':
      return probeTcp(spec.host, spec.port, context.timeoutMs);
    case 'http':
      return probeHttp(spec.url, context.expect, context.timeoutMs);
    case 'exec':
      return probeExec(spec.argv, context.run, context.timeoutMs);
  }
};
