import { shlexSplit } from '../config/index.js';
import { isTendError } from '../errors/index.js';
import { resolveCommand, searchPath } from './command.js';
import { decodeExit } from './exit-status.js';
import type { ManagedProcess } from './managed-process.js';
import { backoffDelayMs, isExpectedExit, isStartFailure, retriesExhausted, shouldRestart } from './policy.js';
import { pyRepr } from './pyrepr.js';
import { SpawnFailure, type ChildExit, type SpawnRequest } from './spawner.js';
import type { ActionName, LifecycleEvent } from './transitions.js';

// The named actions of the transition table. Log lines use supervisord's exact wording
// (process.py), because operators and tools grep for them.

type Action = (p: ManagedProcess, event: LifecycleEvent) => void;

const EXITED_TOO_QUICKLY = 'Exited too quickly (process log may have details)';

const buildRequest = (p: ManagedProcess): SpawnRequest => {
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
  };
  // supervisord sets it only when the program's serverurl (or the AUTO one) is non-empty.
  const serverUrl = config.serverurl ?? deps.autoServerUrl;
  if (serverUrl !== null && serverUrl !== '' && config.environment.SUPERVISOR_SERVER_URL === undefined) {
    env.SUPERVISOR_SERVER_URL = serverUrl;
  }
  const { file, argv } = resolveCommand(config.argv, searchPath(config.environment, deps.baseEnv.PATH), cwd);
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
  };
};

const shlexReason = (command: string): string => {
  try {
    shlexSplit(command);
    return 'unknown error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

const failStart = (p: ManagedProcess, message: string): void => {
  p.spawnerr = message;
  p.deps.log('info', `spawnerr: ${message}`, { program: p.namespec });
  enterBackoff(p);
};

const enterBackoff = (p: ManagedProcess): void => {
  p.backoff += 1;
  p.enter('BACKOFF');
  if (retriesExhausted(p.backoff, p.config.startretries)) {
    p.backoff = 0;
    p.enter('FATAL');
    p.deps.log('info', `gave up: ${p.config.name} entered FATAL state, too many start retries too quickly`, {
      program: p.namespec,
    });
    return;
  }
  p.arm(backoffDelayMs(p.backoff), { type: 'retry' });
};

const spawn: Action = (p) => {
  const { config, deps } = p;
  p.generation += 1;
  p.laststart = deps.clock.now();
  p.spawnerr = '';
  p.exitstatus = null;
  p.enter('STARTING');
  let child;
  try {
    child = deps.spawner.spawn(buildRequest(p));
  } catch (error) {
    if (isTendError(error) || error instanceof SpawnFailure) failStart(p, error.message);
    else failStart(p, `unknown error during fork for ${pyRepr(config.name)}: ${String(error)}`);
    return;
  }
  const generation = p.generation;
  p.child = child;
  p.pid = child.pid;
  child.onExit((exit) => {
    p.deliver(generation, { type: 'exit', exit });
  });
  child.onSpawnError((errno) => {
    p.deliver(generation, { type: 'spawnError', errno });
  });
  if (child.pid === 0) return;
  deps.log('info', `spawned: ${pyRepr(config.name)} with pid ${child.pid}`, {
    program: p.namespec,
    pid: child.pid,
  });
  deps.onSpawn(p, child);
  p.arm(config.startsecs * 1000, { type: 'ready' });
};

const spawnFresh: Action = (p, event) => {
  p.backoff = 0;
  spawn(p, event);
};

const becomeRunning: Action = (p) => {
  p.backoff = 0;
  p.enter('RUNNING');
  p.deps.log(
    'info',
    `success: ${p.config.name} entered RUNNING state, process has stayed up for > than ${p.config.startsecs} seconds (startsecs)`,
    { program: p.namespec, pid: p.pid },
  );
};

const exitOf = (event: LifecycleEvent): ChildExit => {
  if (event.type !== 'exit') throw new TypeError(`expected an exit event, got ${event.type}`);
  return event.exit;
};

const exitDuringStart: Action = (p, event) => {
  const now = p.deps.clock.now();
  if (!isStartFailure(now - p.laststart, p.config.startsecs)) {
    becomeRunning(p, event);
    exitWhileRunning(p, event);
    return;
  }
  const { message } = decodeExit(exitOf(event));
  p.laststop = now;
  p.exitstatus = null;
  p.spawnerr = EXITED_TOO_QUICKLY;
  p.deps.log('warn', `exited: ${p.config.name} (${message}; not expected)`, { program: p.namespec });
  p.detachChild();
  enterBackoff(p);
};

const exitWhileRunning: Action = (p, event) => {
  const { status, message } = decodeExit(exitOf(event));
  p.laststop = p.deps.clock.now();
  p.backoff = 0;
  p.exitstatus = status;
  const expected = isExpectedExit(status, p.config.exitcodes);
  if (!expected) p.spawnerr = `Bad exit code ${status}`;
  p.enter('EXITED', expected);
  p.deps.log(
    expected ? 'info' : 'warn',
    `exited: ${p.config.name} (${message}; ${expected ? '' : 'not '}expected)`,
    {
      program: p.namespec,
    },
  );
  p.detachChild();
  if (shouldRestart(p.config.autorestart, expected) && p.deps.autoRestartAllowed()) {
    p.dispatch({ type: 'retry' });
  }
};

const spawnFailedLate: Action = (p, event) => {
  const errno = event.type === 'spawnError' ? event.errno : 'UNKNOWN';
  const name = pyRepr(p.config.name);
  const message =
    errno === 'EAGAIN'
      ? `Too many processes in process table to spawn ${name}`
      : errno === 'EMFILE' || errno === 'ENFILE'
        ? `too many open files to spawn ${name}`
        : `couldn't exec ${p.config.argv[0] ?? ''}: ${errno}`;
  p.detachChild();
  failStart(p, message);
};

// Sends a signal; an error other than "already gone" leaves the process in UNKNOWN, as
// supervisord's kill() does, because tend no longer knows whether it is alive.
const sendSignal = (p: ManagedProcess, signal: string, group: boolean): boolean => {
  try {
    p.deps.spawner.kill(p.pid, signal, group);
    return true;
  } catch (error) {
    p.deps.log('critical', `unknown problem killing ${p.config.name} (${p.pid}):${String(error)}`, {
      program: p.namespec,
    });
    p.enter('UNKNOWN');
    return false;
  }
};

const beginStop: Action = (p) => {
  if (p.pid === 0) {
    // The spawn is failing asynchronously: nothing to signal, and its error is now irrelevant.
    p.generation += 1;
    p.detachChild();
    p.enter('STOPPED');
    return;
  }
  p.enter('STOPPING');
  const { stopsignal, stopasgroup, stopwaitsecs } = p.config;
  p.deps.log(
    'debug',
    `killing ${p.config.name} (pid ${p.pid}) ${stopasgroup ? 'process group ' : ''}with signal SIG${stopsignal}`,
    {
      program: p.namespec,
    },
  );
  if (sendSignal(p, stopsignal, stopasgroup)) p.arm(stopwaitsecs * 1000, { type: 'killTimeout' });
};

const escalateKill: Action = (p) => {
  p.deps.log('warn', `killing ${pyRepr(p.config.name)} (${p.pid}) with SIGKILL`, { program: p.namespec });
  if (sendSignal(p, 'KILL', p.config.killasgroup))
    p.arm(p.config.stopwaitsecs * 1000, { type: 'killTimeout' });
};

const reapStopped: Action = (p, event) => {
  const { status, message } = decodeExit(exitOf(event));
  p.laststop = p.deps.clock.now();
  p.exitstatus = status;
  const expected = isExpectedExit(status, p.config.exitcodes);
  p.enter('STOPPED', expected);
  p.deps.log(expected ? 'info' : 'warn', `stopped: ${p.config.name} (${message})`, { program: p.namespec });
  p.detachChild();
};

const toStopped: Action = (p) => {
  p.enter('STOPPED');
};

export const ACTIONS: Readonly<Record<ActionName, Action>> = {
  spawn,
  spawnFresh,
  becomeRunning,
  exitDuringStart,
  exitWhileRunning,
  spawnFailedLate,
  beginStop,
  escalateKill,
  reapStopped,
  cancelBackoff: toStopped,
  cancelRestart: toStopped,
  ignore: () => undefined,
};
