// Every daemon the harness starts is registered here until it is killed, so that a failure, a
// timeout or Ctrl-C never leaves one behind. `killAll` is the asynchronous, orderly path;
// `killAllNow` is the last resort from a process 'exit' handler (synchronous SIGKILLs).
import { descendants, isSameProcess } from './procfs.mjs';

const live = new Set();
const commands = new Set();
const exitHooks = new Set();
let stopping = false;

// Throws once a signal asked the bench to stop, so that no new daemon starts after the cleanup.
export const assertNotStopping = () => {
  if (stopping) throw new Error('bench: interrupted');
};

// `handle` has `kill()` (async, orderly, idempotent) and `pid()`; `untrack` drops it again.
export const track = (handle) => {
  assertNotStopping();
  live.add(handle);
  return handle;
};

export const untrack = (handle) => live.delete(handle);

// A CLI command in flight (supervisorctl, tend, pm2): SIGKILLed if the bench exits under it, so
// that, e.g., a `pm2 kill` cut short cannot bring a PM2 daemon back after the bench is gone.
export const trackCommand = (child) => {
  commands.add(child);
  child.once('exit', () => commands.delete(child));
};

export const killAll = async () => {
  await Promise.allSettled([...live].map((handle) => handle.kill()));
};

// A synchronous function run at exit after the kills (removal of temp dirs); returns its remover.
export const atExit = (fn) => {
  exitHooks.add(fn);
  return () => exitHooks.delete(fn);
};

// SIGKILL every tracked daemon and everything below it, then run the exit hooks.
export const killAllNow = () => {
  for (const child of commands) child.kill('SIGKILL');
  for (const handle of live) {
    const pid = handle.pid();
    if (!pid) continue;
    const tree = descendants(pid);
    signal(pid, 'SIGKILL');
    for (const proc of tree) if (isSameProcess(proc)) signal(proc.pid, 'SIGKILL');
  }
  live.clear();
  for (const fn of exitHooks) fn();
  exitHooks.clear();
};

// process.kill without the ESRCH noise.
export const signal = (pid, name) => {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
};

// On SIGINT/SIGTERM: kill everything in order (bounded), then exit 130/143. A second signal
// skips straight to SIGKILL.
export const installSignalHandlers = () => {
  const onSignal = (name, code) => {
    if (stopping) {
      killAllNow();
      process.exit(code);
    }
    stopping = true;
    process.stderr.write(`\nbench: ${name}, stopping every daemon it started…\n`);
    const hard = setTimeout(() => {
      killAllNow();
      process.exit(code);
    }, 20_000);
    void killAll().finally(() => {
      clearTimeout(hard);
      killAllNow();
      process.exit(code);
    });
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('exit', killAllNow);
};
