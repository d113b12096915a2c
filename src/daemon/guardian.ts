import { setTimeout as sleep } from 'node:timers/promises';
import { spawnLifeline, type LifecycleLog, type Lifeline, type Spawner } from '../process/index.js';
import type { ChildRecord } from './children.js';

// The guardian is a tiny POSIX shell process (about 1 MB, against 40 MB for another Node) started
// next to the daemon. It blocks reading a pipe the daemon never writes to. When the daemon dies
// for any reason, the pipe reaches EOF and the guardian stops every process group still recorded
// in the state file: each with its own stopsignal, then SIGKILL after the longest stopwaitsecs.
// On a clean exit the state file lists nothing alive and the guardian just exits. It ignores the
// signals a terminal or an init system sends to the daemon, so it cannot die first by accident.
const SCRIPT = [
  "trap '' INT TERM HUP QUIT USR1 USR2 PIPE",
  'state=$1',
  'while read -r _; do :; done',
  '[ -r "$state" ] || exit 0',
  'live=""',
  // Only digits and signal names reach eval: a program name (which may hold quotes or $) never does.
  'while read -r op pid start sig wait _; do',
  '  case $pid in "" | *[!0-9]*) continue ;; esac',
  '  case $op in',
  '    +)',
  '      case $start$wait in "" | *[!0-9]*) continue ;; esac',
  '      case $sig in "" | *[!A-Z0-9]*) continue ;; esac',
  '      eval "e_$pid=\'$start $sig $wait\'"',
  '      live="$live $pid" ;;',
  '    -) unset "e_$pid" ;;',
  '  esac',
  'done < "$state"',
  'targets=""',
  'longest=0',
  'for pid in $live; do',
  '  eval "entry=\\${e_$pid-}"',
  '  [ -n "$entry" ] || continue',
  '  unset "e_$pid"',
  '  set -- $entry',
  '  start=$1; sig=$2; wait=$3',
  '  if [ -r "/proc/$pid/stat" ] && [ "$start" != 0 ]; then',
  '    read -r stat < "/proc/$pid/stat"',
  '    set -- ${stat##*) }',
  '    shift 19',
  '    [ "$1" = "$start" ] || continue',
  '  fi',
  '  kill -s "$sig" -- "-$pid" 2>/dev/null || continue',
  '  echo "tend-guardian: the daemon is gone; stopping process group $pid with SIG$sig" >&2',
  '  targets="$targets $pid"',
  '  [ "$wait" -gt "$longest" ] && longest=$wait',
  'done',
  'waited=0',
  'while [ -n "$targets" ] && [ "$waited" -lt "$longest" ]; do',
  '  sleep 1',
  '  waited=$((waited + 1))',
  '  alive=""',
  '  for pid in $targets; do kill -s 0 -- "-$pid" 2>/dev/null && alive="$alive $pid"; done',
  '  targets=$alive',
  'done',
  'for pid in $targets; do',
  '  kill -s KILL -- "-$pid" 2>/dev/null && echo "tend-guardian: killed process group $pid with SIGKILL" >&2',
  'done',
  'exit 0',
].join('\n');

// The script travels in the environment so that `ps` shows a short, recognisable command line.
export const startGuardian = (statePath: string): Lifeline =>
  spawnLifeline('/bin/sh', ['-c', 'eval "$TEND_GUARDIAN"', 'tend-guardian', statePath], {
    TEND_GUARDIAN: SCRIPT,
  });

/**
 * Stops the process groups an earlier run left behind, before anything new is spawned, so a
 * program never runs twice. Each gets its stopsignal, then SIGKILL after its stopwaitsecs.
 */
export const stopLeftovers = async (
  records: readonly ChildRecord[],
  spawner: Spawner,
  log: LifecycleLog,
): Promise<void> => {
  if (records.length === 0) return;
  for (const r of records) {
    log(
      'warn',
      `found ${r.name} (process group ${r.pid}) still running from an earlier run; stopping it with SIG${r.stopSignal}`,
      {
        program: r.name,
        pid: r.pid,
      },
    );
    spawner.kill(r.pid, r.stopSignal, true);
  }
  const alive = (): ChildRecord[] => records.filter((r) => spawner.probe(r.pid, true));
  const deadline = Date.now() + Math.max(...records.map((r) => r.stopWaitSecs)) * 1000;
  while (alive().length > 0 && Date.now() < deadline) await sleep(100);
  for (const r of alive()) {
    log('warn', `killing ${r.name} (process group ${r.pid}) with SIGKILL`, { program: r.name, pid: r.pid });
    spawner.kill(r.pid, 'KILL', true);
  }
  const killDeadline = Date.now() + 5000;
  while (alive().length > 0 && Date.now() < killDeadline) await sleep(50);
};
