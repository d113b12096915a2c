// The context a scenario runs in: a scratch directory, the system under test, and start() which
// writes the config and starts that system's daemon (tracked, killed at the end of the scenario).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { System, writeConf } from './system.mjs';

export const makeContext = (system, { seed, fuzzRuns, keep, smoke }) => {
  const dir = mkdtempSync(path.join(tmpdir(), `tend-chaos-${system}-`));
  const started = [];
  return {
    system,
    dir,
    seed,
    fuzzRuns,
    smoke,
    /** A timing judgement: made at full size only (a smoke run on a loaded machine proves nothing). */
    timed: (ok) => smoke || ok,
    /** Starts a daemon of this scenario's system on a config made of `programs` (text). */
    async start(options = {}) {
      const s = this.prepare(options);
      await s.start();
      return s;
    },
    /** Writes the config and makes the daemon's handle without starting it. */
    prepare({ programs, daemonExtra = [], wrap = [], env, name = 'chaos', outName } = {}) {
      const paths = writeConf(dir, { programs, daemonExtra, name });
      const s = new System(system, dir, paths, { wrap, env, outName });
      started.push(s);
      return s;
    },
    /** A second daemon on an existing config (the restart after a kill -9). */
    async restart(previous, { outName } = {}) {
      const paths = { conf: previous.conf, socket: previous.socket, logfile: previous.logfile };
      const s = new System(system, dir, paths, { wrap: previous.wrap, env: previous.env, outName });
      started.push(s);
      await s.start();
      return s;
    },
    async cleanup() {
      for (const s of started.reverse()) await s.kill();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
};
