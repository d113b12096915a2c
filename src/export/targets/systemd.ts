import type { ProcessConfig } from '../../config/index.js';
import { provenance, type ExportContext, type ExportFile, type Generator } from '../files.js';
import { reportLogs } from '../logs.js';
import { reportUnmapped } from '../mapping.js';
import { NameMap } from '../names.js';
import { isExplicitGroup, resolveDependency, type ExportProgram } from '../programs.js';
import { MAPPING_ROWS } from '../rows.js';
import { deriveTextTemplate } from '../template.js';
import { serviceLines, startLimitLines } from './systemd-service.js';
import { noSpecifiers } from './systemd-syntax.js';
import { socketUnit } from './systemd-socket.js';

// `tend export systemd`: one service unit per program (a template unit NAME@.service for
// numprocs), a target per [group:x], a socket unit per fcgi-program.

interface Plan {
  readonly program: ExportProgram;
  /** The program's unit name without suffix. */
  readonly base: string;
  /** One unit file per entry: the template, or each process when the number is not all that differs. */
  readonly files: readonly {
    readonly file: string;
    readonly process: ProcessConfig;
    readonly template: boolean;
  }[];
  /** Unit names that run the program, for Requires=/After=/Wants=. */
  readonly instances: readonly string[];
}

const service = (p: ProcessConfig, ctx: ExportContext): string => serviceLines(p, ctx.findings).join('\n');

const plan = (program: ExportProgram, ctx: ExportContext, names: NameMap): Plan => {
  const base = names.of(program.program);
  const { processes, first } = program;
  if (processes.length === 1) {
    return {
      program,
      base,
      files: [{ file: `${base}.service`, process: first, template: false }],
      instances: [`${base}.service`],
    };
  }
  const nums = processes.map((p) => p.processNum);
  const texts = processes.map((p) => `${p.name}\n${service(p, ctx)}`);
  if (deriveTextTemplate(texts, nums, '%i') !== null) {
    const instances = nums.map((n) => `${base}@${n}.service`);
    return {
      program,
      base,
      files: [{ file: `${base}@.service`, process: first, template: true }],
      instances,
    };
  }
  ctx.findings.note(
    program.program,
    'numprocs',
    'the processes differ in more than %(process_num)d: one unit per process',
  );
  const files = processes.map((p) => ({
    file: `${names.of(p.name, program.program)}.service`,
    process: p,
    template: false,
  }));
  return { program, base, files, instances: files.map((f) => f.file) };
};

/** [Unit] ordering: depends_on (Requires= + After=) and priority (After= the next lower level). */
const orderLines = (own: Plan, plans: readonly Plan[], targets: NameMap): string[] => {
  const p = own.program.first;
  const programs = plans.map((x) => x.program);
  const required = p.dependsOn.flatMap((name) => {
    const deps = resolveDependency(programs, name);
    const group = deps[0]?.group;
    if (group !== undefined && group.name === name && isExplicitGroup(group))
      return [`${targets.of(name)}.target`];
    return plans.filter((x) => deps.includes(x.program)).flatMap((x) => x.instances);
  });
  const lower = plans.map((x) => x.program.first.priority).filter((q) => q < p.priority);
  const level = lower.length === 0 ? null : Math.max(...lower);
  const before = plans.filter((x) => x.program.first.priority === level).flatMap((x) => x.instances);
  const lines = [];
  if (required.length > 0) lines.push(`Requires=${required.join(' ')}`);
  const after = [...new Set([...required, ...before])];
  if (after.length > 0) lines.push(`After=${after.join(' ')}`);
  return lines;
};

const processUnit = (
  own: Plan,
  p: ProcessConfig,
  plans: readonly Plan[],
  ctx: ExportContext,
  targets: NameMap,
): string => {
  const group = own.program.group;
  const inGroup = isExplicitGroup(group);
  const unit = [
    `Description=tend [${p.kind}:${noSpecifiers(p.program)}] process ${noSpecifiers(p.name)}`,
    ...orderLines(own, plans, targets),
    ...(inGroup ? [`PartOf=${targets.of(group.name)}.target`] : []),
    ...(p.fcgi === null && p.socket === null
      ? []
      : [`Requires=${own.base}.socket`, `After=${own.base}.socket`]),
    ...startLimitLines(p),
  ];
  const svc = service(p, ctx).split('\n');
  const fcgi = p.fcgi === null ? [] : ['StandardInput=socket'];
  const install = p.autostart
    ? ['', '[Install]', `WantedBy=${inGroup ? `${targets.of(group.name)}.target` : 'multi-user.target'}`]
    : [];
  const header = [
    `# ${provenance('systemd', ctx)}`,
    `# [${p.kind}:${p.program}] at ${p.source.file}:${p.source.line}`,
  ];
  return [...header, '[Unit]', ...unit, '', '[Service]', ...svc, ...fcgi, ...install, ''].join('\n');
};

/** The file's text: a template unit is derived from every process's own unit. */
const unitText = (
  own: Plan,
  entry: Plan['files'][number],
  plans: readonly Plan[],
  ctx: ExportContext,
  targets: NameMap,
): string => {
  if (!entry.template) return processUnit(own, entry.process, plans, ctx, targets);
  const { processes } = own.program;
  const texts = processes.map((p) => processUnit(own, p, plans, ctx, targets));
  const nums = processes.map((p) => p.processNum);
  return deriveTextTemplate(texts, nums, '%i') ?? texts[0] ?? '';
};

const groupTargets = (plans: readonly Plan[], ctx: ExportContext, targets: NameMap): ExportFile[] => {
  const groups = [...new Map(plans.map((x) => [x.program.group.name, x.program.group])).values()].filter(
    isExplicitGroup,
  );
  return groups.map((g) => {
    const members = plans
      .filter((x) => x.program.group === g && x.program.first.autostart)
      .flatMap((x) => x.instances);
    const text = [
      `# ${provenance('systemd', ctx)}`,
      `# [group:${g.name}] at ${g.source.file}:${g.source.line}`,
      '[Unit]',
      `Description=tend [group:${g.name}]`,
      ...(members.length > 0 ? [`Wants=${members.join(' ')}`] : []),
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
    return { name: `${targets.of(g.name)}.target`, text };
  });
};

const enableNote = (plans: readonly Plan[], files: readonly ExportFile[], ctx: ExportContext): void => {
  const units = [
    ...files.filter((f) => f.name.endsWith('.target')).map((f) => f.name),
    ...plans
      .filter((x) => x.program.first.autostart && !isExplicitGroup(x.program.group))
      .flatMap((x) => x.instances),
  ];
  ctx.findings.note(
    null,
    null,
    `install the files in /etc/systemd/system, then: systemctl daemon-reload && systemctl enable --now ${units.join(' ')}`,
  );
};

export const systemd: Generator = (ctx) => {
  const names = new NameMap('systemd', 'systemd', ctx.findings);
  const targets = new NameMap('systemd', 'systemd', ctx.findings);
  for (const x of ctx.programs) {
    reportUnmapped(MAPPING_ROWS, 'systemd', x.first, ctx.findings);
    reportLogs(x.first, 'systemd', ctx.findings, 'the journal (journalctl -u UNIT) unless a log file is set');
    if (x.first.backoff.kind === 'exponential') {
      ctx.findings.warn(
        x.program,
        'backoff',
        'exponential backoff needs RestartSteps= (systemd >= 254): written as comments',
      );
    }
    const r = x.first.ready.kind;
    if (r === 'tcp' || r === 'http' || r === 'exec') {
      ctx.findings.warn(
        x.program,
        'ready',
        `systemd has no ${r} probe: the unit counts as started after startsecs; ready=notify maps to Type=notify`,
      );
    }
  }
  const plans = ctx.programs.map((x) => plan(x, ctx, names));
  const files: ExportFile[] = plans.flatMap((own) =>
    own.files.map((entry) => ({ name: entry.file, text: unitText(own, entry, plans, ctx, targets) })),
  );
  files.push(...groupTargets(plans, ctx, targets));
  for (const own of plans) {
    const socket = socketUnit(own.program, own.instances, ctx);
    if (socket !== null) files.push(socket);
  }
  enableNote(plans, files, ctx);
  return files;
};
