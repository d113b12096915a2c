// Whole-config checks of `socket` and `restart_strategy = rolling` (docs/zero-downtime.md): one
// address is one program's, and a rolling restart needs a way to tell that a new instance is
// ready, from the new instance itself.
import { configError, raw } from './reader.js';
import { report } from './sink.js';
import { readerFor, warn, type LoadState } from './state.js';
import type { GroupConfig, ListenSocketConfig, ProcessConfig, ReadySpec } from './types.js';

const sectionOf = (p: ProcessConfig): string => `${p.kind}:${p.program}`;

/** The first process of each program section, with how many processes the section has. */
const programs = (groups: readonly GroupConfig[]): { first: ProcessConfig; count: number }[] => {
  const found = new Map<string, { first: ProcessConfig; count: number }>();
  for (const p of groups.flatMap((g) => g.processes)) {
    const seen = found.get(sectionOf(p));
    if (seen === undefined) found.set(sectionOf(p), { first: p, count: 1 });
    else seen.count += 1;
  }
  return [...found.values()];
};

const checkDistinctSockets = (state: LoadState, all: readonly ProcessConfig[]): void => {
  const owners = new Map<string, string>();
  for (const p of all) {
    if (p.socket === null) continue;
    const owner = owners.get(p.socket.url);
    if (owner === undefined) {
      owners.set(p.socket.url, sectionOf(p));
      continue;
    }
    const r = readerFor(state, sectionOf(p));
    const reason = `${p.socket.url} is already the socket of [${owner}]`;
    report(state, configError(r, { key: 'socket', located: raw(r, 'socket') }, reason));
  }
};

const LOCAL = new Set(['', '*', '0.0.0.0', '::', 'localhost', '127.0.0.1', '::1']);

const probeAddress = (ready: ReadySpec): { host: string; port: number } | null => {
  if (ready.kind === 'tcp') return { host: ready.host, port: ready.port };
  if (ready.kind !== 'http') return null;
  const url = new URL(ready.url);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port };
};

/** Whether a ready probe would reach the shared socket, which any instance may answer. */
export const probesOwnSocket = (ready: ReadySpec, socket: ListenSocketConfig | null): boolean => {
  const target = probeAddress(ready);
  if (socket?.kind !== 'tcp' || target === null || target.port !== socket.port) return false;
  return target.host === socket.address || (LOCAL.has(target.host) && LOCAL.has(socket.address));
};

const checkRolling = (state: LoadState, p: ProcessConfig, count: number): void => {
  const section = sectionOf(p);
  const r = readerFor(state, section);
  const at = raw(r, 'restart_strategy');
  const where = { file: at?.file ?? p.source.file, line: at?.line ?? p.source.line, section };
  if (count === 1 && p.rollingMaxSurge === 0) {
    const reason = 'a rolling restart of one process needs rolling_max_surge of at least 1';
    const surge = raw(r, 'rolling_max_surge');
    report(
      state,
      configError(r, { key: 'rolling_max_surge', located: surge, expected: 'an integer ≥ 1' }, reason),
    );
  }
  if (p.ready.kind === 'startsecs') {
    const message = `restart_strategy = rolling without a ready signal: a new instance counts as ready after startsecs (${p.startsecs} s); set ready = notify or a probe`;
    warn(state, { ...where, key: 'restart_strategy', message });
  }
  if (probesOwnSocket(p.ready, p.socket)) {
    const ready = raw(r, 'ready');
    const message = `ready = ${p.ready.text} probes the shared socket, which the old instance may answer during a rolling restart; probe a per-instance address (e.g. a health port with %(process_num)s) or use ready = notify`;
    warn(state, {
      ...where,
      file: ready?.file ?? where.file,
      line: ready?.line ?? where.line,
      key: 'ready',
      message,
    });
  }
  if (count === 1 && p.socket === null) {
    const message =
      'restart_strategy = rolling with one process and no socket: the new instance starts beside the old one, so it must not need the same port (set socket = to share one)';
    warn(state, { ...where, key: 'restart_strategy', message });
  }
};

/** Sockets that two programs claim (an error), and rolling restarts that cannot tell readiness. */
export const checkSocketsAndRolling = (state: LoadState, groups: readonly GroupConfig[]): void => {
  checkDistinctSockets(
    state,
    programs(groups).map((p) => p.first),
  );
  for (const { first, count } of programs(groups)) {
    if (first.restartStrategy !== 'rolling') continue;
    if (first.kind === 'program') checkRolling(state, first, count);
    else {
      // A listener's events and an fcgi-program's stdin socket are not for two instances at once.
      const r = readerFor(state, sectionOf(first));
      const reason = 'restart_strategy = rolling applies to [program:x] only';
      report(state, configError(r, { key: 'restart_strategy', located: raw(r, 'restart_strategy') }, reason));
    }
  }
};
