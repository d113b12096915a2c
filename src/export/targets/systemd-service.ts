import path from 'node:path';
import type { LogConfig, ProcessConfig } from '../../config/index.js';
import { logPath } from '../logs.js';
import type { Findings } from '../report.js';
import { commandLine, environmentLine, noSpecifiers, signalName } from './systemd-syntax.js';

// The [Service] section of one process. Instance-specific text (process_num) stays in; the caller
// turns the processes' units into a template where the number is all that differs.

const RESTART = { true: 'always', false: 'no', unexpected: 'on-failure' } as const;
/** supervisord's first backoff delay; systemd's own default is 100 ms. */
const RESTART_SEC = 1;

/** ExecStart='s executable: absolute, or a bare name systemd looks up in its own PATH. */
const executable = (p: ProcessConfig, findings: Findings): string[] => {
  const [file = '', ...rest] = p.argv;
  if (file.startsWith('/') || !file.includes('/')) {
    if (!file.includes('/') && p.environment.PATH !== undefined) {
      findings.warn(
        p.program,
        'command',
        `systemd looks up '${file}' in its own PATH, not in environment PATH`,
      );
    }
    return [file, ...rest];
  }
  const base = p.directory ?? process.cwd();
  if (p.directory === null)
    findings.warn(p.program, 'command', `relative '${file}' resolved against ${base}`);
  return [path.resolve(base, file), ...rest];
};

const output = (log: LogConfig): string => {
  const file = logPath(log);
  if (file !== null) return `append:${noSpecifiers(path.resolve(file))}`;
  return log.target.kind === 'none' ? 'null' : 'journal';
};

const logLines = (p: ProcessConfig, findings: Findings): string[] => {
  for (const [channel, log] of [
    ['stdout', p.stdout],
    ['stderr', p.stderr],
  ] as const) {
    const file = logPath(log);
    if (file !== null && log.maxbytes > 0 && !(channel === 'stderr' && p.redirectStderr)) {
      findings.warn(
        p.program,
        `${channel}_logfile_maxbytes`,
        `systemd appends to ${file} without rotating it: rotate it with logrotate (copytruncate)`,
      );
    }
  }
  const lines = [`StandardOutput=${output(p.stdout)}`];
  lines.push(`StandardError=${p.redirectStderr ? 'inherit' : output(p.stderr)}`);
  return lines;
};

const typeLines = (p: ProcessConfig): string[] => {
  if (p.ready.kind === 'notify') {
    return ['Type=notify', `TimeoutStartSec=${p.readyTimeout === 0 ? 'infinity' : p.readyTimeout}`];
  }
  return p.startsecs > 60 ? ['Type=exec', `TimeoutStartSec=${p.startsecs + 30}`] : ['Type=exec'];
};

/** supervisord's STARTING: the process must stay up startsecs; a dependent's After= waits too. */
const startsecsLines = (p: ProcessConfig): string[] =>
  p.ready.kind !== 'notify' && p.startsecs > 0 ? [`ExecStartPost=/bin/sleep ${p.startsecs}`] : [];

const restartLines = (p: ProcessConfig): string[] => {
  const lines = [
    `Restart=${RESTART[String(p.autorestart) as keyof typeof RESTART]}`,
    `RestartSec=${RESTART_SEC}`,
  ];
  if (p.backoff.kind === 'exponential') {
    const max = p.backoff.maxSecs ?? 60;
    lines.push(
      `# backoff=exponential (systemd >= 254): RestartSteps=${Math.max(1, Math.ceil(Math.log2(max)))}`,
    );
    lines.push(`# RestartMaxDelaySec=${max}`);
  } else if (p.backoff.maxSecs !== null) {
    lines.push(`# backoff_max=${p.backoff.maxSecs}: systemd's RestartSec= is fixed`);
  }
  const others = p.exitcodes.filter((c) => c !== 0);
  if (others.length > 0) lines.push(`SuccessExitStatus=${others.join(' ')}`);
  if (p.autorestart === 'unexpected' && !p.exitcodes.includes(0)) lines.push('RestartForceExitStatus=0');
  return lines;
};

const identityLines = (p: ProcessConfig, findings: Findings): string[] => {
  const lines = [`ExecStart=${commandLine(executable(p, findings))}`];
  if (p.directory !== null) lines.push(`WorkingDirectory=${noSpecifiers(p.directory)}`);
  if (p.user !== null) lines.push(`User=${noSpecifiers(p.user.name)}`);
  if (p.user?.name === 'nobody') {
    findings.warn(
      p.program,
      'user',
      'systemd warns that User=nobody is not safe (files of unrelated services): DynamicUser=yes is its advice',
    );
  }
  if (p.umask !== null) lines.push(`UMask=${p.umask.toString(8).padStart(4, '0')}`);
  for (const [k, v] of Object.entries(p.environment)) lines.push(environmentLine(k, v));
  return lines;
};

const stopLines = (p: ProcessConfig): string[] => [
  `KillSignal=${signalName(p.stopsignal)}`,
  `TimeoutStopSec=${p.stopwaitsecs}`,
  // mixed: the signal to the main process, SIGKILL to the whole cgroup at the timeout.
  `KillMode=${p.stopasgroup ? 'control-group' : 'mixed'}`,
];

/** The [Service] section's lines for one process. */
export const serviceLines = (p: ProcessConfig, findings: Findings): string[] => [
  ...typeLines(p),
  ...identityLines(p, findings),
  ...startsecsLines(p),
  ...restartLines(p),
  ...stopLines(p),
  ...(p.watchdogSec > 0 ? [`WatchdogSec=${p.watchdogSec}`] : []),
  ...logLines(p, findings),
  `SyslogIdentifier=${noSpecifiers(p.name)}`,
];

/** [Unit] lines that limit restarts: the flap guard, else startretries. */
export const startLimitLines = (p: ProcessConfig): string[] => {
  if (p.restartLimit > 0) {
    return [`StartLimitIntervalSec=${p.restartWindow}`, `StartLimitBurst=${p.restartLimit + 1}`];
  }
  const window = (p.startretries + 1) * (p.startsecs + RESTART_SEC) + 1;
  return [`StartLimitIntervalSec=${window}`, `StartLimitBurst=${p.startretries + 1}`];
};
