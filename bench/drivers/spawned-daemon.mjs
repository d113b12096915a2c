// A daemon that the bench starts itself as a foreground child (supervisord -n, tend daemon):
// output to a file, tracked for cleanup, parent-death signal as a last resort, and an orderly
// kill (SIGTERM, then SIGKILL of it and its leftovers after a grace period).
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { assertNotStopping, track, untrack, signal } from '../lib/cleanup.mjs';
import { descendants, isSameProcess } from '../lib/procfs.mjs';
import { fatal, tail, timedOut, waitFor, which } from '../lib/util.mjs';

let setpriv;
try {
  setpriv = which('setpriv');
} catch {
  setpriv = undefined;
}

export class SpawnedDaemon {
  constructor(cmd, args, { logPath, env, graceMs = 5000 }) {
    this.logPath = logPath;
    this.graceMs = graceMs;
    assertNotStopping();
    const fd = openSync(logPath, 'a');
    // setpriv --pdeathsig: if the bench itself dies hard, the daemon gets SIGTERM and stops its
    // children, instead of running on unmanaged.
    const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', cmd, ...args]] : [cmd, args];
    this.child = spawn(file, argv, { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.exit = undefined;
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, sig) => {
        this.exit = { code, signal: sig };
        resolve(this.exit);
      });
      this.child.on('error', (error) => {
        this.exit = { error };
        resolve(this.exit);
      });
    });
    track(this);
  }

  pid() {
    return this.exit ? undefined : this.child.pid;
  }

  // Why the daemon is gone, with the end of its output; undefined while it runs.
  deathNote() {
    if (!this.exit) return undefined;
    const how = this.exit.error
      ? this.exit.error.message
      : this.exit.signal
        ? `killed by ${this.exit.signal}`
        : `exited with code ${this.exit.code}`;
    let out = '';
    try {
      out = tail(readFileSync(this.logPath, 'utf8'), 3).replace(/\n/g, ' | ');
    } catch {
      // no output
    }
    return out ? `${how}: ${out}` : how;
  }

  // Polls `probe` (the daemon's API) until it answers true; fails at once if the daemon dies.
  waitReady(probe, what) {
    return waitFor(
      async () => {
        const note = this.deathNote();
        if (note) throw fatal(`${what}: daemon ${note}`);
        return probe();
      },
      { timeoutMs: 30_000, intervalMs: 20, what },
    );
  }

  // SIGTERM, SIGKILL after the grace period, then SIGKILL whatever was below it. Concurrent
  // calls (a run's `finally` and a Ctrl-C) share one kill.
  kill() {
    this.killing ??= this.killOnce();
    return this.killing;
  }

  async killOnce() {
    if (this.exit) {
      untrack(this);
      return;
    }
    const pid = this.child.pid;
    const leftovers = descendants(pid);
    signal(pid, 'SIGTERM');
    if (await timedOut(this.exited, this.graceMs)) {
      signal(pid, 'SIGKILL');
      await this.exited;
    }
    for (const proc of leftovers) if (isSameProcess(proc)) signal(proc.pid, 'SIGKILL');
    untrack(this);
  }
}
