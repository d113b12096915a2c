import { shlexSplit } from '../config/index.js';
import { resolveCommand, searchPath } from './command.js';
import type { ManagedProcess } from './managed-process.js';
import { pyRepr } from './pyrepr.js';
import { SpawnFailure, type SpawnRequest } from './spawner.js';

// What a spawn asks of the OS: supervisord's environment (SUPERVISOR_*, then the program's
// `environment`), then the variables tend manages for readiness, which must win.

const readinessEnv = (p: ManagedProcess): Record<string, string> => {
  const { config } = p;
  if (config.watchdogSec <= 0) return {};
  return { WATCHDOG_USEC: String(Math.round(config.watchdogSec * 1_000_000)) };
};

// systemd's socket activation (sd_listen_fds): the socket is fd 3, LISTEN_PID the child's own pid.
const socketEnv = (p: ManagedProcess): Record<string, string> => {
  const socket = p.deps.listenSocket;
  return socket == null ? {} : { LISTEN_FDS: '1', LISTEN_FDNAMES: socket.name };
};

const pidEnv = (p: ManagedProcess): string[] => [
  // The watchdog applies to the child only if WATCHDOG_PID is its own pid (sd_watchdog_enabled).
  ...(p.config.watchdogSec > 0 ? ['WATCHDOG_PID'] : []),
  ...(p.deps.listenSocket == null ? [] : ['LISTEN_PID']),
];

const shlexReason = (command: string): string => {
  try {
    shlexSplit(command);
    return 'unknown error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

export const buildRequest = (p: ManagedProcess): SpawnRequest => {
  const { config, deps } = p;
  if (config.argv.length === 0 && config.command.trim() !== '') {
    throw new SpawnFailure(`can't parse command ${pyRepr(config.command)}: ${shlexReason(config.command)}`);
  }
  const cwd = config.directory ?? deps.cwd;
  const env: Record<string, string> = {
    ...deps.baseEnv,
    SUPERVISOR_ENABLED: '1',
    SUPERVISOR_PROCESS_NAME: config.name,
    SUPERVISOR_GROUP_NAME: config.group,
    ...config.environment,
    ...deps.extraEnv,
    ...readinessEnv(p),
    ...socketEnv(p),
  };
  // supervisord sets it only when the program's serverurl (or the AUTO one) is non-empty.
  const serverUrl = config.serverurl ?? deps.autoServerUrl;
  if (serverUrl !== null && serverUrl !== '' && config.environment.SUPERVISOR_SERVER_URL === undefined) {
    env.SUPERVISOR_SERVER_URL = serverUrl;
  }
  const { file, argv } =
    p.takeCheckedCommand() ??
    resolveCommand(config.argv, searchPath(config.environment, deps.baseEnv.PATH), cwd);
  return {
    name: p.namespec,
    stop: { signal: config.stopsignal, waitSecs: config.stopwaitsecs },
    file,
    argv,
    env,
    cwd: config.directory,
    umask: config.umask,
    user: config.user === null ? null : { uid: config.user.uid, gid: config.user.gid },
    redirectStderr: config.redirectStderr,
    pidEnv: pidEnv(p),
    extraFds: deps.listenSocket == null ? [] : [deps.listenSocket.fd],
    // The log channels read the pipes (supervisor/entries.ts), with one socket each.
    rawOutput: true,
  };
};
