import type { ProcessConfig } from '../../config/index.js';
import { provenance, type ExportContext, type ExportFile, type Generator } from '../files.js';
import { reportLogs } from '../logs.js';
import { reportUnmapped } from '../mapping.js';
import { NameMap } from '../names.js';
import { probePort } from '../probes.js';
import { resolveDependency, type ExportProgram } from '../programs.js';
import { MAPPING_ROWS } from '../rows.js';
import { toYaml } from '../yaml.js';
import { container, type Container } from './kubernetes-container.js';

// `tend export kubernetes`: a Deployment per program (replicas = numprocs), or per [group:x]
// with --pod-per-group (a container per process; a dependency inside the pod is a native sidecar
// that starts first). A Service for every program another one waits for, and for fcgi tcp sockets.

const WAIT_IMAGE = 'busybox:1.37';
const NAME = 'app.kubernetes.io/name';
const PART_OF = 'app.kubernetes.io/part-of';

interface Pod {
  readonly name: string;
  readonly programs: readonly ExportProgram[];
  readonly replicas: number;
}

/** The port a dependent can wait for: the program's ready probe, else its health probe. */
const servicePort = (x: ExportProgram): number | null => {
  const p = x.first;
  if (p.fcgi !== null && p.fcgi.socket.startsWith('tcp://')) return Number(p.fcgi.socket.split(':').at(-1));
  if (p.ready.kind !== 'startsecs' && p.ready.kind !== 'notify') {
    const port = probePort(p.ready);
    if (port !== null) return port;
  }
  return p.healthcheck === null ? null : probePort(p.healthcheck.probe);
};

const waitScript = (x: ExportProgram, host: string, port: number): string => {
  const r = x.first.ready;
  if (r.kind === 'http') {
    const path = new URL(r.url).pathname;
    return `until wget -q -O /dev/null http://${host}:${port}${path}; do sleep 1; done`;
  }
  return `until nc -z -w 2 ${host} ${port}; do sleep 1; done`;
};

const pods = (ctx: ExportContext, names: NameMap): Pod[] => {
  if (!ctx.options.podPerGroup) {
    return ctx.programs.map((x) => {
      if (x.varies)
        ctx.findings.warn(
          x.program,
          'numprocs',
          'replicas are identical: every replica runs process ' + x.first.name + "'s command and environment",
        );
      return {
        name: names.of(x.program),
        programs: [x],
        replicas: x.first.autostart ? x.processes.length : 0,
      };
    });
  }
  const groups = [...new Set(ctx.programs.map((x) => x.group))];
  return groups.map((g) => {
    const programs = ctx.programs.filter((x) => x.group === g);
    const starts = programs.filter((x) => x.first.autostart).length;
    if (starts > 0 && starts < programs.length)
      ctx.findings.warn(
        g.name,
        'autostart',
        'a pod starts all its containers: autostart=false programs of the group start too',
      );
    return { name: names.of(g.name), programs, replicas: starts > 0 ? 1 : 0 };
  });
};

const labels = (pod: Pod, ctx: ExportContext, names: NameMap): Record<string, string> => {
  const group = pod.programs[0]?.group.name ?? pod.name;
  return { [NAME]: pod.name, ...(ctx.options.podPerGroup ? {} : { [PART_OF]: names.of(group) }) };
};

/** Containers of the pod; a member another member depends on starts first, as a native sidecar. */
const containers = (
  pod: Pod,
  ctx: ExportContext,
  names: NameMap,
): { main: Container[]; sidecars: Container[] } => {
  const needed = new Set(
    pod.programs.flatMap((x) => x.first.dependsOn.flatMap((d) => resolveDependency(pod.programs, d))),
  );
  const main: Container[] = [];
  const sidecars: Container[] = [];
  for (const x of pod.programs) {
    const port = servicePort(x);
    const procs: readonly ProcessConfig[] = ctx.options.podPerGroup ? x.processes : [x.first];
    for (const p of procs) {
      const name = procs.length > 1 ? names.of(p.name, x.program) : names.of(x.program);
      const c = container(p, name, port === null ? [] : [port], ctx);
      if (needed.has(x)) sidecars.push({ ...c, restartPolicy: 'Always' });
      else main.push(c);
    }
  }
  return { main, sidecars };
};

/** Init containers that wait for dependencies outside the pod; the Services they wait on. */
const waits = (pod: Pod, ctx: ExportContext, names: NameMap, services: Set<ExportProgram>): Container[] => {
  const out: Container[] = [];
  for (const x of pod.programs) {
    for (const dep of x.first.dependsOn.flatMap((d) => resolveDependency(ctx.programs, d))) {
      if (pod.programs.includes(dep)) continue;
      const port = servicePort(dep);
      if (port === null) {
        ctx.findings.warn(
          x.program,
          'depends_on',
          `${dep.program} has no tcp/http probe to wait for: Kubernetes starts them in no order`,
        );
        continue;
      }
      services.add(dep);
      const host = names.of(dep.program);
      const name = names.of(`wait-for-${dep.program}`, x.program);
      if (out.some((c) => c.name === name)) continue;
      out.push({ name, image: WAIT_IMAGE, command: ['sh', '-c', waitScript(dep, host, port)] });
    }
  }
  return out;
};

const deployment = (pod: Pod, ctx: ExportContext, names: NameMap, services: Set<ExportProgram>): object => {
  const { main, sidecars } = containers(pod, ctx, names);
  const initContainers = [...waits(pod, ctx, names, services), ...sidecars];
  const firsts = pod.programs.map((x) => x.first);
  const minReady = Math.max(...firsts.map((p) => (p.ready.kind === 'startsecs' ? p.startsecs : 0)));
  const source = firsts.map((p) => `${p.source.file}:${p.source.line}`).join(' ');
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: pod.name, labels: labels(pod, ctx, names), annotations: { 'tend.dev/source': source } },
    spec: {
      replicas: pod.replicas,
      ...(minReady > 0 ? { minReadySeconds: minReady } : {}),
      selector: { matchLabels: { [NAME]: pod.name } },
      template: {
        metadata: { labels: labels(pod, ctx, names) },
        spec: {
          terminationGracePeriodSeconds: Math.max(...firsts.map((p) => p.stopwaitsecs)),
          ...(initContainers.length > 0 ? { initContainers } : {}),
          containers: main,
        },
      },
    },
  };
};

const service = (x: ExportProgram, pods: readonly Pod[], names: NameMap): object => {
  const pod = pods.find((p) => p.programs.includes(x));
  const port = servicePort(x) ?? 0;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: names.of(x.program), labels: { [NAME]: names.of(x.program) } },
    spec: {
      selector: { [NAME]: pod?.name ?? names.of(x.program) },
      ports: [{ port, targetPort: port, protocol: 'TCP' }],
    },
  };
};

const reportProgram = (x: ExportProgram, ctx: ExportContext): void => {
  reportUnmapped(MAPPING_ROWS, 'kubernetes', x.first, ctx.findings);
  reportLogs(x.first, 'kubernetes', ctx.findings, 'the container log (kubectl logs)');
  const p = x.first;
  if (p.autorestart !== true)
    ctx.findings.warn(
      x.program,
      'autorestart',
      `a Deployment restarts its containers after every exit (autorestart=${String(p.autorestart)})`,
    );
  if (p.ready.kind === 'notify')
    ctx.findings.warn(
      x.program,
      'ready',
      'notify has no equivalent in Kubernetes: the pod is ready once it runs',
    );
  if (p.fcgi !== null)
    ctx.findings.warn(
      x.program,
      'socket',
      'the program gets no socket as fd 0: it must listen itself on the Service port',
    );
  if (p.stopsignal !== 'TERM')
    ctx.findings.note(
      x.program,
      'stopsignal',
      `the preStop hook runs /bin/sh in the image to send SIG${p.stopsignal}`,
    );
};

export const kubernetes: Generator = (ctx) => {
  const names = new NameMap('dns1035', 'Kubernetes', ctx.findings);
  if (ctx.options.image === null)
    ctx.findings.warn(null, null, "no --image: containers use the placeholder image 'IMAGE'");
  for (const x of ctx.programs) reportProgram(x, ctx);
  const services = new Set(ctx.programs.filter((x) => x.first.fcgi?.socket.startsWith('tcp://') === true));
  const all = pods(ctx, names);
  const header = `# ${provenance('kubernetes', ctx)}\n`;
  const files: ExportFile[] = all.map((pod) => ({
    name: `${pod.name}-deployment.yaml`,
    text: header + toYaml(deployment(pod, ctx, names, services)),
  }));
  for (const x of services)
    files.push({
      name: `${names.of(x.program)}-service.yaml`,
      text: header + toYaml(service(x, all, names)),
    });
  return files;
};
