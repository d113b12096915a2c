import type { ManagedProcess } from './managed-process.js';

// When a program's main process exits, whatever it left in its process group (a shell's
// children, workers it forked) is stopped too: the stop signal to the group, then SIGKILL after
// stopwaitsecs. A restart then never runs beside leftovers of the previous run (ports still
// bound, duplicate workers), and a stopped program is really stopped. supervisord leaves such
// orphans behind unless stopasgroup is set (#1101); systemd stops the whole unit the same way.
// The group's members are not our children, so their end is seen by probing, every 100 ms.

const PROBE_MS = 100;

export const sweepGroup = (p: ManagedProcess, pgid: number): void => {
  const { spawner, clock, log } = p.deps;
  if (!spawner.probe(pgid, true)) return;
  log('info', `${p.namespec}: stopping what it left in its process group ${pgid}`, {
    program: p.namespec,
    pid: pgid,
  });
  if (!signalGroup(p, pgid, p.config.stopsignal)) return;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  p.sweeps.add(finished);
  const deadline = clock.monotonic() + p.config.stopwaitsecs * 1000;
  let killed = false;
  const check = (): void => {
    if (!spawner.probe(pgid, true) || (killed && clock.monotonic() >= deadline + 1000)) {
      p.sweeps.delete(finished);
      finish();
      return;
    }
    if (!killed && clock.monotonic() >= deadline) {
      log('warn', `${p.namespec}: killing what is left in process group ${pgid} with SIGKILL`, {
        program: p.namespec,
      });
      killed = true;
      signalGroup(p, pgid, 'KILL');
    }
    clock.setTimer(PROBE_MS, check);
  };
  clock.setTimer(PROBE_MS, check);
};

const signalGroup = (p: ManagedProcess, pgid: number, signal: string): boolean => {
  try {
    return p.deps.spawner.kill(pgid, signal, true) === 'sent';
  } catch {
    return false;
  }
};
