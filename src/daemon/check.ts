import { loadConfig, type Config, type LogConfig, type ProcessConfig } from '../config/index.js';
import { toTendError } from '../errors/index.js';
import { describeMinimums } from './rlimits.js';

// `tend check -c FILE`: validate a config and show what tend would run, without starting
// anything. Exit 0 when valid, 2 when not (the error names file:line, section, key and value).

const size = (bytes: number): string =>
  bytes === 0
    ? '0'
    : bytes % 1048576 === 0
      ? `${bytes / 1048576}MB`
      : bytes % 1024 === 0
        ? `${bytes / 1024}KB`
        : `${bytes}`;

const describeLog = (config: Config, log: LogConfig, redirected: boolean): string => {
  if (redirected) return '(redirected to stdout)';
  const rotation =
    log.maxbytes === 0 ? 'no rotation' : `rotate at ${size(log.maxbytes)}, keep ${log.backups}`;
  switch (log.target.kind) {
    case 'none':
      return 'NONE (discarded)';
    case 'auto':
      return `AUTO (in ${config.supervisord.childlogdir}; ${rotation})`;
    case 'file':
      return `${log.target.path} (${rotation})`;
  }
};

const describeProcess = (config: Config, p: ProcessConfig): string[] => [
  `${p.group === p.name ? p.name : `${p.group}:${p.name}`}  (group ${p.group}, priority ${p.priority}${p.autostart ? '' : ', autostart=false'})`,
  `  command    ${p.command}`,
  `  directory  ${p.directory ?? '(daemon cwd)'}`,
  `  user       ${p.user === null ? '(daemon user)' : `${p.user.name} (uid ${p.user.uid})`}`,
  `  stdout     ${describeLog(config, p.stdout, false)}`,
  `  stderr     ${describeLog(config, p.stderr, p.redirectStderr)}`,
];

export const check = (
  file: string,
  json: boolean,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): number => {
  let config: Config;
  try {
    config = loadConfig(file, { env, cwd });
  } catch (error) {
    const e = toTendError(error);
    process.stderr.write(`${e.message}\n${e.hint === undefined ? '' : `${e.hint}\n`}`);
    return e.code === 'CONFIG_INVALID' || e.code === 'CONFIG_NOT_FOUND' ? 2 : 1;
  }
  for (const w of config.warnings)
    process.stderr.write(`warning: ${w.file}:${w.line}: [${w.section}] ${w.message}\n`);
  const limits = describeMinimums(config.supervisord);
  for (const note of limits) if (note.level === 'warning') process.stderr.write(`warning: ${note.text}\n`);
  const processes = config.groups.flatMap((g) => g.processes);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ file: config.file, files: config.files, groups: config.groups }, null, 2)}\n`,
    );
    return 0;
  }
  const lines = [`${config.file}: valid (${config.groups.length} groups, ${processes.length} processes)`];
  for (const note of limits) if (note.level === 'info') lines.push(`limits: ${note.text}`);
  for (const p of processes) lines.push('', ...describeProcess(config, p));
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
