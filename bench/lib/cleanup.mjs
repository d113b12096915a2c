// Every daemon the harness starts is registered here until it is killed, so that a failure, a
// timeout or Ctrl-C never leaves one behind. `killAll` is the asynchronous, orderly path;
// `killAllNow` is the last resort from a process 'exit' handler (synchronous SIGKILLs).
import { descendants, isSameProcess } from './procfs.mjs';

const live = new Set();

// `handle` has `kill()` (async, orderly) and `pid()`; it is dropped again by `untrack`.
export const track = (handle) => {
  live.add(handle);
  return handle;
};

export const untrack = (handle) => live.delete(handle);

export const killAll = async () => {
  await Promise.allSettled([...live].map((handle) => handle.kill()));
};

// SIGKILL every tracked daemon and everything below it.
export const killAllNow = () => {
  for (const handle of live) {
    const pid = handle.pid();
    if (!pid) continue;
    const tree = descendants(pid);
    signal(pid, 'SIGKILL');
    for (const proc of tree) if (isSameProcess(proc)) signal(proc.pid, 'SIGKILL');
  }
  live.clear();
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
  let stopping = false;
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
