import { isTendError } from '../../errors/index.js';
import type { CheckProblem, CheckReport, CheckedAlert, CheckedProcess } from '../../protocol/check-report.js';
import { formatBytes } from '../format.js';
import {
  exitCode,
  flag,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';

// `tend check`: every error and warning of a config file set, and what it would run, without
// starting anything. Usable as a CI gate: exit 0 when valid, 2 when not; --json always prints
// the same document.

export const name = 'check';
export const aliases: readonly string[] = [];
export const summary = 'validate a config file and show the processes it defines, without starting them';
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [
  { flags: '--json', description: 'print the report as JSON: valid, errors, warnings, processes' },
  { flags: '--strict', description: 'warnings fail the check too (exit 2)' },
];
export const details = `Reads the config file and its includes as the daemon would and reports every error and
warning, sorted by file and line (\`file:line: [section] key = "value": reason\`): values
supervisord would reject, unknown keys and sections (with the closest known name), keys tend
accepts but does not act on yet, and commands whose executable is missing or not executable by
the program's \`user\` (or the user running the check). Then it lists what would run. Exit 0 when
valid, 2 when not (or, with \`--strict\`, when there are warnings). \`--json\` always prints one
document: \`{valid, file, files, errors[], warnings[], groups, processes[], limits[], alerts[]}\` (\`limits\`: what
the daemon would do about minfds/minprocs here; \`alerts\`: each \`[alert:x]\`, where it sends without
secrets), each problem with
\`file\`, \`line\`, \`section\`, \`key\` and \`message\`.`;

const plural = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;

// Firings in the schedule's own zone (or this machine's), as an operator reads a crontab.
const firing = (iso: string, timeZone: string | null): string =>
  new Intl.DateTimeFormat('sv-SE', {
    ...(timeZone === null ? {} : { timeZone }),
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(iso));

const policyLines = (p: CheckedProcess): string[] => {
  const lines: string[] = [];
  const m = p.memoryLimit;
  if (m != null)
    lines.push(`  memory     restart above ${formatBytes(m.bytes)} for ${m.checks} samples in a row`);
  const c = p.cronRestart;
  if (c != null) {
    const zone = c.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    lines.push(
      `  cron       ${c.expression} (${zone}), next: ${c.next.map((t) => firing(t, zone)).join(', ')}`,
    );
  }
  return lines;
};

const describeProcess = (p: CheckedProcess): string[] => {
  const order =
    p.group === p.name
      ? `priority ${p.priority}`
      : `group ${p.group} at priority ${p.groupPriority}, priority ${p.priority}`;
  return [
    `${p.namespec}  (${order}${p.autostart ? '' : ', autostart=false'})`,
    `  command    ${p.command}`,
    `  directory  ${p.directory ?? '(daemon cwd)'}`,
    `  user       ${p.user ?? '(daemon user)'}`,
    `  stdout     ${p.stdout.text}`,
    `  stderr     ${p.stderr.text}`,
    ...policyLines(p),
  ];
};

const describeAlert = (a: CheckedAlert): string[] => [
  `[alert:${a.name}]  ${a.via} to ${a.target}`,
  `  events     ${a.events.join(', ')}`,
  `  programs   ${a.programs.join(', ')}`,
  `  batch      ${a.batchSeconds === 0 ? 'none (sent at once)' : `${a.batchSeconds}s`}`,
];

const printText = (ctx: CommandContext, report: CheckReport): void => {
  const { io } = ctx;
  for (const e of report.errors) io.err(e.message);
  for (const w of report.warnings) io.err(`warning: ${w.message}`);
  for (const l of report.limits) if (l.level === 'warning') io.err(`warning: ${l.text}`);
  const counts = `${plural(report.errors.length, 'error')}, ${plural(report.warnings.length, 'warning')}`;
  if (!report.valid) {
    io.out(`${report.file}: invalid (${counts})`);
    return;
  }
  const size = `${plural(report.groups, 'group')}, ${plural(report.processes.length, 'process')}`;
  io.out(`${report.file}: valid (${size}${report.warnings.length === 0 ? '' : `; ${counts}`})`);
  for (const l of report.limits) if (l.level === 'info') io.out(`limits: ${l.text}`);
  for (const p of report.processes) io.out(['', ...describeProcess(p)].join('\n'));
  for (const a of report.alerts) io.out(['', ...describeAlert(a)].join('\n'));
};

/** The report of a file that could not even be found or read. */
const unreadable = (file: string, message: string): CheckReport => {
  const problem: CheckProblem = { file, line: 0, section: null, key: null, message };
  return {
    valid: false,
    file,
    files: [],
    errors: [problem],
    warnings: [],
    groups: 0,
    processes: [],
    limits: [],
    alerts: [],
  };
};

// Without --json a missing file is reported like any command's error (with its hint); with
// --json it still makes a document.
const report = async (ctx: CommandContext, json: boolean): Promise<CheckReport> => {
  let file = '';
  try {
    file = ctx.config().file;
    return await ctx.local.check(file);
  } catch (error) {
    if (!json || !isTendError(error) || error.code !== 'CONFIG_NOT_FOUND') throw error;
    return unreadable(file, error.message);
  }
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const result = await report(ctx, flag(input, 'json'));
  if (flag(input, 'json')) ctx.io.out(JSON.stringify(result, null, 2));
  else printText(ctx, result);
  const failed = !result.valid || (flag(input, 'strict') && result.warnings.length > 0);
  return exitCode(failed ? 'CONFIG_INVALID' : null);
};
