import { namespecOf } from '../../protocol/names.js';
import type {
  ConfigKeyRecord,
  ProcessConfigSource,
  ProcessHistory,
  ProcessInfo,
  ProcessStats,
} from '../../protocol/process-info.js';
import {
  flag,
  OK,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { formatBytes, formatDuration, formatPercent, formatTime } from '../format.js';

// `tend describe NAME` (pm2 describe): everything about one process in one place: its state and
// figures, readiness and health, log files, the config keys with where each was written, and the
// daemon's memory of its recent states and exits.

export const name = 'describe';
export const aliases: readonly string[] = [];
export const summary =
  'everything about one process: state, figures, health, logs, config with file:line, history';
export const args: readonly ArgumentSpec[] = [{ name: 'name', description: 'process', required: true }];
export const options: readonly OptionSpec[] = [
  { flags: '--json', description: 'print {info, tend, history, config} as JSON' },
];
export const details = `Everything about one process: its state, pid, uptime, automatic restarts, CPU and memory of
its process tree, readiness and health, log files; its config section key by key with the
\`file:line\` each key was written at (\`[DEFAULT]\` keys marked); and the daemon's memory of its
last 20 state changes and 10 exits (when, pid, exit status, expected or not, how long it ran).
\`--json\` prints the same as \`{info, tend, history, config}\`. An unknown name exits 1.`;

interface TendInfo {
  readonly ready: string;
  readonly readiness: { readonly status: string | null; readonly lastProbe: string | null };
  readonly health: string | null;
  readonly lastCheck: number | null;
  readonly lastError: string | null;
  readonly lastRestart: { readonly reason: string; readonly time: number } | null;
  readonly dependsOn: readonly string[];
  readonly waitingFor: string | null;
  readonly restarts: number;
  readonly stats: ProcessStats | null;
  readonly memoryLimit?: { readonly bytes: number; readonly checks: number; readonly over: number } | null;
  readonly cronRestart?: {
    readonly expression: string;
    readonly timezone: string | null;
    readonly next: number | null;
  } | null;
}

type Described = ProcessInfo & { readonly tend: TendInfo };

const field = (label: string, value: string): string => `  ${label.padEnd(11)}${value}`;

const figures = (s: ProcessStats | null): string[] =>
  s === null
    ? []
    : [
        field(
          'cpu',
          `${s.cpuPercent === null ? '-' : formatPercent(s.cpuPercent)} of a core, ${s.cpuSeconds.toFixed(2)}s in all`,
        ),
        field(
          'memory',
          `${formatBytes(s.rssBytes)} resident in ${s.pids} process${s.pids === 1 ? '' : 'es'}`,
        ),
      ];

const health = (t: TendInfo): string[] => {
  const lines = [field('ready', t.ready)];
  if (t.readiness.status !== null) lines.push(field('status', t.readiness.status));
  if (t.health !== null) {
    const checked = t.lastCheck === null ? '' : `, last check ${formatTime(t.lastCheck * 1000)}`;
    lines.push(field('health', `${t.health}${checked}${t.lastError === null ? '' : ` (${t.lastError})`}`));
  }
  if (t.lastRestart !== null) {
    lines.push(field('restarted', `${formatTime(t.lastRestart.time * 1000)}: ${t.lastRestart.reason}`));
  }
  const limit = t.memoryLimit;
  if (limit != null) {
    const over = limit.over === 0 ? '' : `, above it ${limit.over} of ${limit.checks} samples`;
    lines.push(field('mem limit', `${formatBytes(limit.bytes)}${over}`));
  }
  const cron = t.cronRestart;
  if (cron != null) {
    const next = cron.next === null ? '' : `, next ${formatTime(cron.next * 1000)}`;
    lines.push(
      field('cron', `${cron.expression}${cron.timezone === null ? '' : ` (${cron.timezone})`}${next}`),
    );
  }
  if (t.dependsOn.length > 0) lines.push(field('depends on', t.dependsOn.join(', ')));
  if (t.waitingFor !== null) lines.push(field('waiting', `for ${t.waitingFor}`));
  return lines;
};

const overview = (d: Described): string[] => [
  `${namespecOf(d)}  ${d.statename}  ${d.description}`,
  ...(d.pid === 0
    ? []
    : [field('pid', `${d.pid}, up ${formatDuration(d.now - d.start)} since ${formatTime(d.start * 1000)}`)]),
  field('restarts', `${d.tend.restarts} automatic`),
  ...figures(d.pid === 0 ? null : d.tend.stats),
  ...health(d.tend),
  field('stdout', d.stdout_logfile === '' ? '(none)' : d.stdout_logfile),
  field('stderr', d.stderr_logfile === '' ? '(none: redirected or discarded)' : d.stderr_logfile),
];

const configLines = (c: ProcessConfigSource): string[] => {
  const text = (k: ConfigKeyRecord): string => `${k.key} = ${k.value.replace(/\n/g, '\\n')}`;
  const width = Math.max(0, ...c.keys.map((k) => text(k).length));
  return [
    `config [${c.section}] at ${c.file}:${c.line}`,
    ...c.keys.map((k) => `  ${text(k).padEnd(width)}  ${k.file}:${k.line}${k.inherited ? ' [DEFAULT]' : ''}`),
  ];
};

const historyLines = (h: ProcessHistory): string[] => [
  'states (oldest first)',
  ...h.states.map(
    (s) =>
      `  ${formatTime(s.time)}  ${s.from} -> ${s.to}${s.pid === 0 ? '' : `  pid ${s.pid}`}${s.note === '' ? '' : `  (${s.note})`}`,
  ),
  ...(h.exits.length === 0 ? [] : ['exits (oldest first)']),
  ...h.exits.map(
    (e) =>
      `  ${formatTime(e.time)}  pid ${e.pid}  ${e.message}, ${e.expected ? 'expected' : 'not expected'}, after ${formatDuration(e.ranMs / 1000)}`,
  ),
];

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const client = ctx.client();
  const path = `/api/v1/processes/${encodeURIComponent(input.args[0] ?? '')}`;
  const info = await client.call<Described>('GET', `${path}?tend=true`);
  const history = await client.call<ProcessHistory>('GET', `${path}/history`);
  const config = await client.call<ProcessConfigSource>('GET', `${path}/config`);
  if (flag(input, 'json')) {
    const { tend, ...plain } = info;
    ctx.io.out(JSON.stringify({ info: plain, tend, history, config }, null, 2));
    return OK;
  }
  for (const line of [...overview(info), '', ...configLines(config), '', ...historyLines(history)])
    ctx.io.out(line);
  return OK;
};
