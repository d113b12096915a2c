import type { ProbeSpec, ProcessConfig } from '../../config/index.js';
import type { ExportContext } from '../files.js';
import { httpParts, probePort } from '../probes.js';

// One process as a Nomad task in the JSON job form (api.Task of the Nomad API; durations are
// nanoseconds): driver raw_exec (the host, as supervisord) or docker with --image.

export const NS = 1_000_000_000;
const MIB = 1024 * 1024;

export interface NomadCheck {
  Name: string;
  Type: 'tcp' | 'http' | 'script';
  PortLabel?: string;
  Path?: string;
  Protocol?: 'http' | 'https';
  Command?: string;
  Args?: string[];
  Interval: number;
  Timeout: number;
  CheckRestart?: { Limit: number; Grace: number };
}

export interface NomadService {
  Name: string;
  Provider: 'nomad' | 'consul';
  PortLabel?: string;
  Checks: NomadCheck[];
}

export const portLabel = (port: number): string => `p${port}`;

const check = (probe: ProbeSpec, name: string, timeout: number): NomadCheck => {
  const base = { Name: name, Interval: NS, Timeout: Math.max(1, Math.ceil(timeout)) * NS };
  switch (probe.kind) {
    case 'tcp':
      return { ...base, Type: 'tcp', PortLabel: portLabel(probe.port) };
    case 'http': {
      const u = httpParts(probe.url);
      return { ...base, Type: 'http', PortLabel: portLabel(u.port), Path: u.path, Protocol: u.scheme };
    }
    case 'exec':
      return { ...base, Type: 'script', Command: probe.argv[0] ?? '', Args: probe.argv.slice(1) };
  }
};

const checks = (p: ProcessConfig): NomadCheck[] => {
  const out: NomadCheck[] = [];
  if (p.ready.kind !== 'startsecs' && p.ready.kind !== 'notify')
    out.push(check(p.ready, 'ready', p.probeTimeoutSecs));
  const hc = p.healthcheck;
  if (hc !== null) {
    const c = check(hc.probe, 'health', hc.timeoutSecs);
    const grace = Math.max(1, Math.ceil(hc.startPeriodSecs)) * NS;
    out.push({
      ...c,
      Interval: Math.max(1, Math.ceil(hc.intervalSecs)) * NS,
      CheckRestart: { Limit: hc.retries, Grace: grace },
    });
  }
  return out;
};

/** Ports the task's checks need, for the group's network block. */
export const taskPorts = (p: ProcessConfig): number[] => {
  const probes = [p.ready, p.healthcheck?.probe].filter(
    (x): x is ProbeSpec => x !== undefined && x.kind !== 'startsecs' && x.kind !== 'notify',
  );
  return probes.map(probePort).filter((x): x is number => x !== null);
};

const services = (p: ProcessConfig, name: string): NomadService[] => {
  const all = checks(p);
  if (all.length === 0) return [];
  const provider = all.some((c) => c.Type === 'script') ? 'consul' : 'nomad';
  const port = all.find((c) => c.PortLabel !== undefined)?.PortLabel;
  // Service names are RFC 1123 labels (Nomad and Consul both check).
  const service =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'service';
  return [
    { Name: service, Provider: provider, ...(port === undefined ? {} : { PortLabel: port }), Checks: all },
  ];
};

const driverConfig = (p: ProcessConfig, ctx: ExportContext): Record<string, unknown> => {
  const [command = '', ...args] = p.argv;
  const work = p.directory === null ? {} : { work_dir: p.directory };
  if (ctx.options.image === null) return { command, args, ...work };
  return { image: ctx.options.image, entrypoint: [...p.argv], ...work };
};

const logConfig = (p: ProcessConfig): { MaxFiles: number; MaxFileSizeMB: number } => ({
  MaxFiles: Math.max(1, p.stdout.backups),
  MaxFileSizeMB: Math.max(1, Math.ceil(p.stdout.maxbytes / MIB)),
});

export const task = (p: ProcessConfig, name: string, ctx: ExportContext): Record<string, unknown> => ({
  Name: name,
  Driver: ctx.options.image === null ? 'raw_exec' : 'docker',
  ...(p.user === null ? {} : { User: p.user.name }),
  Config: driverConfig(p, ctx),
  ...(Object.keys(p.environment).length > 0 ? { Env: { ...p.environment } } : {}),
  KillSignal: `SIG${p.stopsignal}`,
  KillTimeout: p.stopwaitsecs * NS,
  LogConfig: logConfig(p),
  ...(services(p, name).length > 0 ? { Services: services(p, name) } : {}),
  Meta: { tend_source: `${p.source.file}:${p.source.line}` },
});
