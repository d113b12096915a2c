import {
  checkConfig,
  nextFirings,
  formatConfigError,
  warningText,
  type AlertConfig,
  type Config,
  type LogConfig,
  type ProcessConfig,
} from '../config/index.js';
import { namespecOf } from '../protocol/names.js';
import type {
  CheckedAlert,
  CheckedLog,
  CheckedProcess,
  CheckProblem,
  CheckReport,
} from '../protocol/check-report.js';
import { targetText } from '../alerts/index.js';
import { commandProblem } from './check-commands.js';
import { socketWarnings } from './check-sockets.js';
import { describeMinimums } from './rlimits.js';

// `tend check -c FILE`: every error and warning of a config file set, and what tend would run,
// without starting anything. The CLI prints the report (cli/commands/check.ts).

const size = (bytes: number): string =>
  bytes === 0
    ? '0'
    : bytes % 1048576 === 0
      ? `${bytes / 1048576}MB`
      : bytes % 1024 === 0
        ? `${bytes / 1024}KB`
        : `${bytes}`;

const describeLog = (config: Config, log: LogConfig, redirected: boolean): CheckedLog => {
  if (redirected) return { text: '(redirected to stdout)', path: null };
  const rotation =
    log.maxbytes === 0 ? 'no rotation' : `rotate at ${size(log.maxbytes)}, keep ${log.backups}`;
  switch (log.target.kind) {
    case 'none':
      return { text: 'NONE (discarded)', path: null };
    case 'auto':
      return { text: `AUTO (in ${config.supervisord.childlogdir}; ${rotation})`, path: null };
    case 'file':
      return { text: `${log.target.path} (${rotation})`, path: log.target.path };
  }
};

const policiesOf = (p: ProcessConfig, now: number): Pick<CheckedProcess, 'memoryLimit' | 'cronRestart'> => ({
  memoryLimit: p.memoryLimit > 0 ? { bytes: p.memoryLimit, checks: p.memoryLimitChecks } : null,
  cronRestart:
    p.cronRestart === null
      ? null
      : {
          ...p.cronRestart,
          next: nextFirings(p.cronRestart, now, 3).map((ms) => new Date(ms).toISOString()),
        },
});

const describeProcess = (config: Config, groupPriority: number, p: ProcessConfig): CheckedProcess => ({
  namespec: namespecOf(p),
  name: p.name,
  group: p.group,
  groupPriority,
  priority: p.priority,
  autostart: p.autostart,
  command: p.command,
  directory: p.directory,
  user: p.user === null ? null : `${p.user.name} (uid ${p.user.uid})`,
  stdout: describeLog(config, p.stdout, false),
  stderr: describeLog(config, p.stderr, p.redirectStderr),
  ...policiesOf(p, Date.now()),
  file: p.source.file,
  line: p.source.line,
});

const commandErrors = (config: Config, where: Where): CheckProblem[] => {
  const seen = new Set<string>();
  return config.groups.flatMap((g) =>
    g.processes.flatMap((p) => {
      const reason = commandProblem(p, { path: where.env.PATH, cwd: where.cwd });
      const at = p.source.keys.find((k) => k.key === 'command') ?? p.source;
      const message =
        reason === null
          ? null
          : formatConfigError(
              { file: at.file, line: at.line, section: p.source.section, key: 'command', value: p.command },
              reason,
            );
      if (message === null || seen.has(message)) return [];
      seen.add(message);
      return [{ file: at.file, line: at.line, section: p.source.section, key: 'command', message }];
    }),
  );
};

interface Where {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

const sorted = (files: readonly string[], problems: readonly CheckProblem[]): CheckProblem[] => {
  const order = (f: string): number => (files.includes(f) ? files.indexOf(f) : files.length);
  return [...problems].sort((a, b) => order(a.file) - order(b.file) || a.line - b.line);
};

/** Loads `file` as the daemon would, going on after errors; throws CONFIG_NOT_FOUND if it cannot be read. */
export const checkReport = (file: string, where: Where): CheckReport => {
  const { config, errors } = checkConfig(file, { env: where.env, cwd: where.cwd });
  const loadErrors = errors.map((e) => ({
    file: e.location.file,
    line: e.location.line,
    section: e.location.section ?? null,
    key: e.location.key ?? null,
    message: e.message,
  }));
  const all = sorted(config.files, [...loadErrors, ...commandErrors(config, where)]);
  const warnings = [
    ...config.warnings.map((w) => ({ ...w, message: warningText(w) })),
    ...socketWarnings(config),
  ];
  const valid = all.length === 0;
  const processes = config.groups.flatMap((g) =>
    g.processes.map((p) => describeProcess(config, g.priority, p)),
  );
  return {
    valid,
    file: config.file,
    files: config.files,
    errors: all,
    warnings: sorted(config.files, warnings),
    groups: valid ? config.groups.length : 0,
    processes: valid ? processes : [],
    limits: describeMinimums(config.supervisord),
    alerts: valid ? config.alerts.map(describeAlert) : [],
  };
};

const describeAlert = (a: AlertConfig): CheckedAlert => ({
  name: a.name,
  via: a.target.kind,
  target: targetText(a),
  events: a.events,
  programs: a.programs,
  batchSeconds: a.batchSeconds,
  file: a.source.file,
  line: a.source.line,
});
