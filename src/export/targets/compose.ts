import type { ProbeSpec, ProcessConfig } from '../../config/index.js';
import { provenance, type ExportContext, type Generator } from '../files.js';
import { reportLogs } from '../logs.js';
import { reportUnmapped } from '../mapping.js';
import { NameMap } from '../names.js';
import { httpParts } from '../probes.js';
import { resolveDependency, type ExportProgram } from '../programs.js';
import { MAPPING_ROWS } from '../rows.js';
import { toYaml } from '../yaml.js';

// `tend export compose`: one service per program in a compose.yaml (the Compose Specification).
// Compose interpolates $VAR in every value, so each literal $ is written $$.

const RESTART = { true: 'always', false: 'no', unexpected: 'on-failure' } as const;

const literal = (s: string): string => s.replaceAll('$', '$$$$');

const duration = (secs: number): string => `${Math.max(0, Math.ceil(secs))}s`;

const probeTest = (probe: ProbeSpec): string[] => {
  switch (probe.kind) {
    case 'exec':
      return ['CMD', ...probe.argv.map(literal)];
    case 'tcp':
      return ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/${probe.host}/${probe.port}`];
    case 'http': {
      const u = httpParts(probe.url);
      const url = literal(`${u.scheme}://${u.host}:${u.port}${u.path}`);
      return ['CMD-SHELL', `curl -fsS -o /dev/null '${url}' || wget -q -O /dev/null '${url}'`];
    }
  }
};

/** The healthcheck: the health probe if any (it keeps running), else the ready probe. */
const healthcheck = (p: ProcessConfig): Record<string, unknown> | null => {
  const hc = p.healthcheck;
  if (hc !== null) {
    return {
      test: probeTest(hc.probe),
      interval: duration(hc.intervalSecs),
      timeout: duration(hc.timeoutSecs),
      retries: hc.retries,
      start_period: duration(hc.startPeriodSecs),
    };
  }
  if (p.ready.kind === 'startsecs' || p.ready.kind === 'notify') return null;
  return {
    test: probeTest(p.ready),
    interval: '5s',
    timeout: duration(p.probeTimeoutSecs),
    retries: 3,
    start_period: duration(p.readyTimeout),
  };
};

const dependsOn = (
  x: ExportProgram,
  ctx: ExportContext,
  names: NameMap,
): Record<string, { condition: string }> => {
  const out: Record<string, { condition: string }> = {};
  for (const dep of x.first.dependsOn.flatMap((d) => resolveDependency(ctx.programs, d))) {
    if (!dep.first.autostart && x.first.autostart)
      ctx.findings.warn(
        x.program,
        'depends_on',
        `${dep.program} is in profile "manual": start it with --profile manual`,
      );
    out[names.of(dep.program)] = {
      condition: healthcheck(dep.first) === null ? 'service_started' : 'service_healthy',
    };
  }
  return out;
};

const logging = (p: ProcessConfig): Record<string, unknown> | null => {
  if (p.stdout.maxbytes === 0) return null;
  const options = {
    'max-size': `${Math.ceil(p.stdout.maxbytes / 1024)}k`,
    'max-file': String(p.stdout.backups + 1),
  };
  return { driver: 'json-file', options };
};

const service = (x: ExportProgram, ctx: ExportContext, names: NameMap): Record<string, unknown> => {
  const p = x.first;
  const s: Record<string, unknown> = { image: ctx.options.image ?? 'IMAGE', entrypoint: p.argv.map(literal) };
  if (p.directory !== null) s.working_dir = literal(p.directory);
  if (p.user !== null) s.user = `${p.user.uid}:${p.user.gid}`;
  const env = Object.entries(p.environment);
  if (env.length > 0) s.environment = Object.fromEntries(env.map(([k, v]) => [k, literal(v)]));
  s.restart = RESTART[String(p.autorestart) as keyof typeof RESTART];
  s.stop_signal = `SIG${p.stopsignal}`;
  s.stop_grace_period = duration(p.stopwaitsecs);
  if (!p.autostart) s.profiles = ['manual'];
  if (x.processes.length > 1) s.deploy = { replicas: x.processes.length };
  const hc = healthcheck(p);
  if (hc !== null) s.healthcheck = hc;
  const deps = dependsOn(x, ctx, names);
  if (Object.keys(deps).length > 0) s.depends_on = deps;
  const log = logging(p);
  if (log !== null) s.logging = log;
  s.labels = { 'tend.group': x.group.name, 'tend.source': `${p.source.file}:${p.source.line}` };
  return s;
};

const reportProgram = (x: ExportProgram, ctx: ExportContext): void => {
  const p = x.first;
  reportUnmapped(MAPPING_ROWS, 'compose', p, ctx.findings);
  reportLogs(p, 'compose', ctx.findings, 'the container log (docker compose logs)');
  if (x.varies)
    ctx.findings.warn(
      x.program,
      'numprocs',
      `replicas are identical: every replica runs ${p.name}'s command and environment`,
    );
  if (p.ready.kind === 'notify')
    ctx.findings.warn(
      x.program,
      'ready',
      'notify has no equivalent in Compose: dependents wait only for the start',
    );
  if (p.healthcheck !== null && p.ready.kind !== 'startsecs')
    ctx.findings.note(
      x.program,
      'ready',
      'Compose has one healthcheck: the health probe stands for ready too',
    );
  if (p.healthcheck !== null)
    ctx.findings.warn(
      x.program,
      'healthcheck',
      'Docker marks the container unhealthy but does not restart it',
    );
  if ([p.ready, p.healthcheck?.probe].some((r) => r?.kind === 'tcp' || r?.kind === 'http'))
    ctx.findings.note(
      x.program,
      'ready/healthcheck',
      'the probe runs inside the container: the image needs bash (tcp) or curl/wget (http)',
    );
};

export const compose: Generator = (ctx) => {
  const names = new NameMap('word', 'Compose', ctx.findings);
  if (ctx.options.image === null)
    ctx.findings.warn(null, null, "no --image: services use the placeholder image 'IMAGE'");
  if (ctx.options.podPerGroup)
    ctx.findings.note(null, null, 'Compose has no pods: --pod-per-group still gives one service per program');
  for (const x of ctx.programs) reportProgram(x, ctx);
  const services = Object.fromEntries(ctx.programs.map((x) => [names.of(x.program), service(x, ctx, names)]));
  return [{ name: 'compose.yaml', text: `# ${provenance('compose', ctx)}\n${toYaml({ services })}` }];
};
