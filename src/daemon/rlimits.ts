import { readFileSync } from 'node:fs';
import type { SupervisordConfig } from '../config/index.js';
import { runCommand, type LifecycleLog } from '../process/index.js';

// [supervisord] minfds / minprocs, as supervisord's set_rlimits_or_exit applies them: a soft limit
// below the minimum is raised to it (the hard limit too when that is lower, which takes root), and
// when that fails the daemon refuses to start with supervisord's message. Node has no setrlimit;
// prlimit(1) (util-linux) sets the daemon's own limits from outside, through the one OS seam.
// Node itself raises the soft RLIMIT_NOFILE to the hard limit at start, so for file descriptors
// only a hard limit below minfds is left to act on.

export interface Limit {
  /** Infinity for unlimited. */
  readonly soft: number;
  readonly hard: number;
}

interface Resource {
  readonly key: 'minfds' | 'minprocs';
  readonly name: 'RLIMIT_NOFILE' | 'RLIMIT_NPROC';
  /** The row of /proc/self/limits, and prlimit's option. */
  readonly row: string;
  readonly option: string;
  readonly message: (min: number, hard: number) => string;
}

// supervisord's messages (options.py), word for word; %(hard)s is the hard limit found.
const RESOURCES: readonly Resource[] = [
  {
    key: 'minfds',
    name: 'RLIMIT_NOFILE',
    row: 'Max open files',
    option: '--nofile',
    message: (min, hard) =>
      `The minimum number of file descriptors required to run this process is ${min} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${hard} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`,
  },
  {
    key: 'minprocs',
    name: 'RLIMIT_NPROC',
    row: 'Max processes',
    option: '--nproc',
    message: (min, hard) =>
      `The minimum number of available processes required to run this program is ${min} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${hard} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`,
  },
];

const number = (text: string): number => (text === 'unlimited' ? Infinity : Number(text));

/** The limit of `row` in /proc/self/limits; null where that is not there (not Linux). */
export const readLimit = (row: string, text?: string): Limit | null => {
  let limits = text;
  try {
    limits ??= readFileSync('/proc/self/limits', 'latin1');
  } catch {
    return null;
  }
  const match = new RegExp(`^${row}\\s+(\\S+)\\s+(\\S+)`, 'm').exec(limits);
  if (match === null) return null;
  return { soft: number(match[1] ?? ''), hard: number(match[2] ?? '') };
};

/** What to set so the soft limit reaches `min` (null: it already does), as supervisord computes it. */
export const raiseTo = (limit: Limit, min: number): Limit | null =>
  limit.soft >= min ? null : { soft: min, hard: Math.max(limit.hard, min) };

/** Sets the daemon's own limit; returns why it could not (null when it did). */
const setLimit = async (resource: Resource, wanted: Limit): Promise<string | null> => {
  const hard = wanted.hard === Infinity ? 'unlimited' : String(wanted.hard);
  const result = await runCommand(
    ['prlimit', '--pid', String(process.pid), `${resource.option}=${wanted.soft}:${hard}`],
    { timeoutMs: 10_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: null, user: null },
  );
  if (result.code === 0) return null;
  return result.error === null ? result.output.trim() : `prlimit (util-linux) could not run: ${result.error}`;
};

/**
 * Raises the daemon's limits to minfds / minprocs; returns supervisord's message for the first one
 * that cannot be met (the daemon then refuses to start), or null.
 */
export const applyMinimums = async (config: SupervisordConfig, log: LifecycleLog): Promise<string | null> => {
  for (const resource of RESOURCES) {
    const min = config[resource.key];
    const limit = readLimit(resource.row);
    const wanted = limit === null ? null : raiseTo(limit, min);
    if (limit === null || wanted === null) continue;
    const failure = await setLimit(resource, wanted);
    if (failure !== null) return `${resource.message(min, limit.hard)} (${failure})`;
    log('info', `Increased ${resource.name} limit to ${min}`);
  }
  return null;
};

export interface LimitNote {
  /** 'warning': the daemon refuses to start here unless it may raise hard limits (root). */
  readonly level: 'info' | 'warning';
  readonly text: string;
}

/** `tend check`: what the daemon would do about each minimum in this environment, when it acts. */
export const describeMinimums = (config: SupervisordConfig): LimitNote[] =>
  RESOURCES.flatMap((resource): LimitNote[] => {
    const min = config[resource.key];
    const limit = readLimit(resource.row);
    const wanted = limit === null ? null : raiseTo(limit, min);
    if (limit === null || wanted === null) return [];
    const found = `${resource.key} = ${min}, ${resource.name} here is ${limit.soft} (hard ${limit.hard})`;
    if (wanted.hard === limit.hard)
      return [{ level: 'info', text: `${found}: tend daemon raises the soft limit to ${min}` }];
    return [
      {
        level: 'warning',
        text: `${found}: tend daemon raises both limits to ${min} when it runs as root (CAP_SYS_RESOURCE), and otherwise refuses to start with: ${resource.message(min, limit.hard)}`,
      },
    ];
  });
