import path from 'node:path';
import type { ProcessConfig } from '../../config/index.js';
import { provenance, type ExportContext, type Generator } from '../files.js';
import { reportLogs } from '../logs.js';
import { reportUnmapped } from '../mapping.js';
import { NameMap } from '../names.js';
import { resolveDependency, type ExportProgram } from '../programs.js';
import { MAPPING_ROWS } from '../rows.js';
import { deriveTextTemplate } from '../template.js';
import { NS, portLabel, task, taskPorts } from './nomad-task.js';

// `tend export nomad`: one service job (the JSON job form, for `nomad job run -json`), a task
// group per program (count = numprocs), or per [group:x] with --pod-per-group (a task per
// process; a dependency inside the group is a prestart sidecar task).

const INDEX = '${NOMAD_ALLOC_INDEX}';

interface Group {
  readonly name: string;
  readonly programs: readonly ExportProgram[];
  readonly tasks: Record<string, unknown>[];
  readonly count: number;
}

/** restart: attempts within interval, then fail (FATAL); restart_limit is the same idea. */
const restartPolicy = (p: ProcessConfig): Record<string, unknown> => {
  const delay = NS;
  if (p.autorestart === false) return { Attempts: 0, Interval: 60 * NS, Delay: delay, Mode: 'fail' };
  const attempts = p.restartLimit > 0 ? p.restartLimit : p.startretries;
  const window = p.restartLimit > 0 ? p.restartWindow : (attempts + 1) * (p.startsecs + 1);
  // Nomad refuses an interval shorter than attempts × delay.
  const interval = Math.max(5, window, attempts + 1) * NS;
  return { Attempts: attempts, Interval: interval, Delay: delay, Mode: 'fail' };
};

const update = (programs: readonly ExportProgram[]): Record<string, unknown> => {
  const firsts = programs.map((x) => x.first);
  const checks = firsts.some(
    (p) => p.ready.kind === 'tcp' || p.ready.kind === 'http' || p.ready.kind === 'exec',
  );
  const minHealthy = Math.max(...firsts.map((p) => (p.ready.kind === 'startsecs' ? p.startsecs : 0)));
  const deadline = Math.max(...firsts.map((p) => (p.ready.kind === 'startsecs' ? 0 : p.readyTimeout)));
  const healthy = Math.max(deadline, minHealthy + 1, 300);
  return {
    HealthCheck: checks ? 'checks' : 'task_states',
    MinHealthyTime: minHealthy * NS,
    HealthyDeadline: healthy * NS,
    ProgressDeadline: Math.max(600, healthy + 60) * NS,
  };
};

/** count copies of one task: %(process_num)d becomes ${NOMAD_ALLOC_INDEX} where that is all that differs. */
const countedTask = (x: ExportProgram, name: string, ctx: ExportContext): Record<string, unknown> => {
  const tasks = x.processes.map((p) => task(p, name, ctx));
  const first = tasks[0] ?? {};
  if (!x.varies) return first;
  const rest = (t: Record<string, unknown>): string =>
    JSON.stringify({ ...t, Config: null, Env: null, Meta: null });
  const sameRest = tasks.every((t) => rest(t) === rest(first));
  const nums = x.processes.map((p) => p.processNum);
  const texts = tasks.map((t) => JSON.stringify({ Config: t.Config, Env: t.Env ?? null }, null, 1));
  const template = nums[0] === 0 && sameRest ? deriveTextTemplate(texts, nums, INDEX) : null;
  if (template === null) {
    ctx.findings.warn(
      x.program,
      'numprocs',
      `the processes differ in more than what \${NOMAD_ALLOC_INDEX} can give (numprocs_start = 0, command and environment only): every allocation runs ${x.first.name}'s settings`,
    );
    return first;
  }
  const parsed = JSON.parse(template) as { Config: unknown; Env: unknown };
  return { ...first, Config: parsed.Config, ...(parsed.Env === null ? {} : { Env: parsed.Env }) };
};

const groups = (ctx: ExportContext, names: NameMap): Group[] => {
  if (!ctx.options.podPerGroup) {
    return ctx.programs.map((x) => {
      const name = names.of(x.program);
      return {
        name,
        programs: [x],
        tasks: [countedTask(x, name, ctx)],
        count: x.first.autostart ? x.processes.length : 0,
      };
    });
  }
  return [...new Set(ctx.programs.map((x) => x.group))].map((g) => {
    const programs = ctx.programs.filter((x) => x.group === g);
    const needed = new Set(
      programs.flatMap((x) => x.first.dependsOn.flatMap((d) => resolveDependency(programs, d))),
    );
    const tasks = programs.flatMap((x) =>
      x.processes.map((p) => {
        const t = task(p, names.of(x.processes.length > 1 ? p.name : x.program, x.program), ctx);
        // A dependency starts first and keeps running beside the tasks that need it.
        return needed.has(x) ? { ...t, Lifecycle: { Hook: 'prestart', Sidecar: true } } : t;
      }),
    );
    return {
      name: names.of(g.name),
      programs,
      tasks,
      count: programs.some((x) => x.first.autostart) ? 1 : 0,
    };
  });
};

const taskGroup = (g: Group): Record<string, unknown> => {
  const first = g.programs[0]?.first as ProcessConfig;
  const ports = [...new Set(g.programs.flatMap((x) => taskPorts(x.first)))];
  return {
    Name: g.name,
    Count: g.count,
    ...(ports.length > 0
      ? {
          Networks: [
            { Mode: 'host', ReservedPorts: ports.map((Value) => ({ Label: portLabel(Value), Value })) },
          ],
        }
      : {}),
    RestartPolicy: restartPolicy(first),
    ...(first.autorestart === false ? { ReschedulePolicy: { Attempts: 0, Unlimited: false } } : {}),
    Update: update(g.programs),
    Meta: { tend_group: first.group },
    Tasks: g.tasks,
  };
};

const reportProgram = (x: ExportProgram, ctx: ExportContext): void => {
  const p = x.first;
  reportUnmapped(MAPPING_ROWS, 'nomad', p, ctx.findings);
  reportLogs(p, 'nomad', ctx.findings, 'the task logs (nomad alloc logs)');
  if (p.autorestart === 'unexpected' && p.exitcodes.some((c) => c !== 0))
    ctx.findings.note(x.program, 'autorestart', 'Nomad restarts a service task after any exit');
  if (p.ready.kind === 'notify')
    ctx.findings.warn(
      x.program,
      'ready',
      'notify has no equivalent in Nomad: the task counts as healthy once it runs (task_states)',
    );
  if ([p.ready, p.healthcheck?.probe].some((r) => r?.kind === 'exec'))
    ctx.findings.note(
      x.program,
      'ready/healthcheck',
      'an exec probe becomes a script check, which needs the Consul service provider',
    );
  if (p.stopwaitsecs > 30)
    ctx.findings.note(
      x.program,
      'stopwaitsecs',
      'Nomad clients cap kill_timeout at their max_kill_timeout (30 s by default)',
    );
  reportOrder(x, ctx);
  if (p.backoff.kind === 'exponential')
    ctx.findings.warn(x.program, 'backoff', "Nomad's restart delay is fixed (1 s)");
};

const reportOrder = (x: ExportProgram, ctx: ExportContext): void => {
  const p = x.first;
  if (!ctx.options.podPerGroup && p.dependsOn.length > 0) {
    const why =
      'Nomad starts task groups in no order: use --pod-per-group to run dependencies as prestart sidecars of one group';
    ctx.findings.warn(x.program, 'depends_on', why);
  }
  if (!ctx.options.podPerGroup) return;
  const outside = p.dependsOn.filter(
    (d) => !resolveDependency(ctx.programs, d).every((y) => y.group === x.group),
  );
  if (outside.length > 0) {
    ctx.findings.warn(
      x.program,
      'depends_on',
      `${outside.join(', ')} in another task group: Nomad starts task groups in no order`,
    );
  }
};

export const nomad: Generator = (ctx) => {
  const names = new NameMap('word', 'Nomad', ctx.findings);
  for (const x of ctx.programs) reportProgram(x, ctx);
  const id = names.of(path.basename(ctx.config.file).replace(/\.[^.]*$/, '') || 'tend', null);
  const job = {
    Job: {
      ID: id,
      Name: id,
      Type: 'service',
      Datacenters: ['*'],
      Meta: { generated_by: provenance('nomad', ctx) },
      TaskGroups: groups(ctx, names).map(taskGroup),
    },
  };
  return [{ name: `${id}.nomad.json`, text: `${JSON.stringify(job, null, 2)}\n` }];
};
