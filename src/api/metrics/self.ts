import { readdir, readFile } from 'node:fs/promises';

// The daemon's own process figures, under the names every Prometheus client library uses
// (process_*, nodejs_*), so the dashboards made for those read tend unchanged. The figures Node
// gives come from Node; the rest from /proc/self, and are left out where there is no /proc.

export interface SelfFigures {
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly startTimeSeconds: number;
  readonly residentBytes: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
  readonly virtualBytes: number | null;
  readonly openFds: number | null;
  readonly maxFds: number | null;
}

const orNull = async <T>(work: Promise<T>): Promise<T | null> => {
  try {
    return await work;
  } catch {
    return null;
  }
};

/** VmSize of /proc/self/status, in bytes. */
export const parseVmSize = (status: string): number | null => {
  const match = /^VmSize:\s+(\d+)\s+kB$/m.exec(status);
  return match === null ? null : Number(match[1]) * 1024;
};

/** The soft limit of `Max open files` in /proc/self/limits ("unlimited": Infinity). */
export const parseMaxFds = (limits: string): number | null => {
  const match = /^Max open files\s+(\S+)/m.exec(limits);
  if (match === null) return null;
  return match[1] === 'unlimited' ? Infinity : Number(match[1]);
};

export const selfFigures = async (): Promise<SelfFigures> => {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const [status, limits, fds] = await Promise.all([
    orNull(readFile('/proc/self/status', 'latin1')),
    orNull(readFile('/proc/self/limits', 'latin1')),
    // The listing holds one descriptor of its own while it reads.
    orNull(readdir('/proc/self/fd').then((names) => names.length - 1)),
  ]);
  return {
    userSeconds: cpu.user / 1e6,
    systemSeconds: cpu.system / 1e6,
    startTimeSeconds: Math.round(performance.timeOrigin) / 1000,
    residentBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalBytes: memory.external,
    virtualBytes: status === null ? null : parseVmSize(status),
    openFds: fds,
    maxFds: limits === null ? null : parseMaxFds(limits),
  };
};
