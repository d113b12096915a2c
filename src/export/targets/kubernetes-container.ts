import type { ProbeSpec, ProcessConfig } from '../../config/index.js';
import type { ExportContext } from '../files.js';
import { httpParts, probeHost } from '../probes.js';

// One process as a Kubernetes container: command, env, probes, stop signal (core/v1 Container).

export interface Probe {
  readonly exec?: { readonly command: string[] };
  readonly tcpSocket?: { readonly port: number };
  readonly httpGet?: { readonly path: string; readonly port: number; readonly scheme: 'HTTP' | 'HTTPS' };
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly initialDelaySeconds?: number;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command: string[];
  readonly workingDir?: string;
  readonly env?: { readonly name: string; readonly value: string }[];
  readonly ports?: { readonly containerPort: number }[];
  readonly securityContext?: { readonly runAsUser: number; readonly runAsGroup: number };
  readonly startupProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly lifecycle?: { readonly preStop: { readonly exec: { readonly command: string[] } } };
  readonly restartPolicy?: 'Always';
}

/** Kubernetes expands $(VAR) in command and env values; $$( keeps it literal. */
const literal = (text: string): string => text.replaceAll('$(', '$$$$(');

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1']);
/** readyTimeout 0 waits forever; a startupProbe needs some bound (about 3 years at 1 s). */
const FOREVER = 100_000_000;

const seconds = (s: number): number => Math.max(1, Math.ceil(s));

const handler = (
  probe: ProbeSpec,
  p: ProcessConfig,
  ctx: ExportContext,
): Omit<Probe, 'periodSeconds' | 'timeoutSeconds' | 'failureThreshold'> => {
  const host = probeHost(probe);
  if (host !== null && LOCAL.has(host)) {
    ctx.findings.warn(
      p.program,
      'ready/healthcheck',
      `the kubelet probes the pod's address, not ${host}: the program must listen on all addresses`,
    );
  }
  switch (probe.kind) {
    case 'tcp':
      return { tcpSocket: { port: probe.port } };
    case 'http': {
      const u = httpParts(probe.url);
      return { httpGet: { path: u.path, port: u.port, scheme: u.scheme === 'https' ? 'HTTPS' : 'HTTP' } };
    }
    case 'exec':
      return { exec: { command: [...probe.argv] } };
  }
};

const readiness = (
  p: ProcessConfig,
  ctx: ExportContext,
): Pick<Container, 'startupProbe' | 'readinessProbe'> => {
  if (p.ready.kind === 'startsecs') return {};
  if (p.ready.kind === 'notify') return {};
  const h = handler(p.ready, p, ctx);
  const timeoutSeconds = seconds(p.probeTimeoutSecs);
  const failureThreshold = p.readyTimeout === 0 ? FOREVER : seconds(p.readyTimeout);
  return {
    startupProbe: { ...h, periodSeconds: 1, timeoutSeconds, failureThreshold },
    readinessProbe: { ...h, periodSeconds: 10, timeoutSeconds, failureThreshold: 3 },
  };
};

const liveness = (p: ProcessConfig, ctx: ExportContext): Pick<Container, 'livenessProbe'> => {
  const hc = p.healthcheck;
  if (hc === null) return {};
  const probe: Probe = {
    ...handler(hc.probe, p, ctx),
    periodSeconds: seconds(hc.intervalSecs),
    timeoutSeconds: seconds(hc.timeoutSecs),
    failureThreshold: hc.retries,
  };
  return {
    livenessProbe:
      hc.startPeriodSecs > 0 ? { ...probe, initialDelaySeconds: Math.ceil(hc.startPeriodSecs) } : probe,
  };
};

const preStop = (p: ProcessConfig): Pick<Container, 'lifecycle'> => {
  if (p.stopsignal === 'TERM') return {};
  // Kubernetes sends TERM after the hook: the hook sends the program's own signal and waits.
  const script = `kill -${p.stopsignal} 1; while kill -0 1 2>/dev/null; do sleep 1; done`;
  return { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', script] } } } };
};

const identity = (p: ProcessConfig, ctx: ExportContext): Partial<Container> => {
  const out: { -readonly [K in 'workingDir' | 'env' | 'securityContext']?: NonNullable<Container[K]> } = {};
  if (p.directory !== null) out.workingDir = p.directory;
  const env = Object.entries(p.environment).map(([name, value]) => ({ name, value: literal(value) }));
  if (env.length > 0) out.env = env;
  if (p.user !== null) {
    out.securityContext = { runAsUser: p.user.uid, runAsGroup: p.user.gid };
    ctx.findings.note(
      p.program,
      'user',
      `${p.user.name} runs as uid ${p.user.uid}, gid ${p.user.gid}, as this machine resolves it`,
    );
  }
  return out;
};

export const container = (
  p: ProcessConfig,
  name: string,
  ports: readonly number[],
  ctx: ExportContext,
): Container => ({
  name,
  image: ctx.options.image ?? 'IMAGE',
  command: p.argv.map(literal),
  ...identity(p, ctx),
  ...(ports.length > 0 ? { ports: ports.map((containerPort) => ({ containerPort })) } : {}),
  ...readiness(p, ctx),
  ...liveness(p, ctx),
  ...preStop(p),
});
