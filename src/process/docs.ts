import { PROCESS_STATE_NAMES, ProcessStates, type ProcessState } from './states.js';
import { TRANSITIONS, type ActionName, type LifecycleEventType } from './transitions.js';

// docs/lifecycle.md is generated from the transition table, so the document cannot drift from
// the code (scripts/gen-docs.mjs writes it; a unit test fails when it is stale).

/**
 * The sequences of states each action can enter, in order: the diagram's edges. The first state
 * is reached by the event itself; later ones follow at once (a failed spawn passes through
 * STARTING to BACKOFF, an exhausted backoff goes on to FATAL, autorestart leaves EXITED at once).
 */
export const ACTION_PATHS: Readonly<Record<ActionName, readonly (readonly ProcessState[])[]>> = {
  spawn: [['STARTING'], ['STARTING', 'BACKOFF'], ['STARTING', 'BACKOFF', 'FATAL']],
  spawnFresh: [['STARTING'], ['STARTING', 'BACKOFF'], ['STARTING', 'BACKOFF', 'FATAL']],
  becomeRunning: [['RUNNING']],
  exitDuringStart: [
    ['BACKOFF'],
    ['BACKOFF', 'FATAL'],
    ['RUNNING', 'EXITED'],
    ['RUNNING', 'EXITED', 'STARTING'],
    ['RUNNING', 'EXITED', 'FATAL'],
  ],
  exitWhileRunning: [['EXITED'], ['EXITED', 'STARTING'], ['EXITED', 'FATAL']],
  spawnFailedLate: [['BACKOFF'], ['BACKOFF', 'FATAL']],
  stopNotReady: [['STOPPING'], ['STOPPING', 'UNKNOWN']],
  stopForRestart: [['STOPPING'], ['STOPPING', 'UNKNOWN']],
  rearmWatchdog: [[]],
  extendTimeout: [[]],
  beginStop: [['STOPPING'], ['STOPPING', 'UNKNOWN'], ['STOPPED']],
  keepStopping: [[]],
  escalateKill: [[], ['UNKNOWN']],
  reapStopped: [
    ['STOPPED'],
    ['EXITED'],
    ['EXITED', 'STARTING'],
    ['EXITED', 'FATAL'],
    ['BACKOFF'],
    ['BACKOFF', 'FATAL'],
  ],
  cancelBackoff: [['STOPPED']],
  cancelRestart: [['STOPPED']],
  failDependency: [['FATAL']],
  ignore: [[]],
};

/** Paths that exist only from some states (`beginStop` → STOPPED: a spawn still failing late). */
const ONLY_FROM: Readonly<Record<string, readonly ProcessState[]>> = {
  'beginStop>STOPPED': ['STARTING'],
};

/** Why a state is left at once for the next one in a path. */
const AUTOMATIC: Readonly<Record<string, string>> = {
  'STARTING>BACKOFF': 'spawn error',
  'BACKOFF>FATAL': 'retries exhausted',
  'EXITED>STARTING': 'restart',
  'EXITED>FATAL': 'crash loop (restart_limit)',
  'RUNNING>EXITED': 'exit',
  'STOPPING>UNKNOWN': 'kill failed',
};

const EVENT_MEANING: Readonly<Record<LifecycleEventType, string>> = {
  start: 'a start request (autostart, API, CLI)',
  stop: 'a stop request',
  ready: 'the process is ready: startsecs elapsed, READY=1 arrived, or the ready probe passed',
  readyTimeout: 'ready_timeout elapsed while starting',
  exit: 'the process exited (its output pipes drained first)',
  spawnError: 'the OS refused the spawn after the fact (EAGAIN, EMFILE)',
  retry: 'a backoff or restart delay elapsed',
  killTimeout: 'stopwaitsecs elapsed while stopping',
  unhealthy: 'healthcheck_retries health checks failed in a row, or WATCHDOG=trigger',
  watchdogExpired: 'watchdog_sec elapsed without WATCHDOG=1',
  watchdogPing: 'WATCHDOG=1 (optionally with WATCHDOG_USEC=)',
  extendTimeout: 'EXTEND_TIMEOUT_USEC=: the current timeout is extended',
  dependencyFailed: 'a depends_on program failed while this one waited to start',
  policyRestart: 'memory_limit exceeded memory_limit_checks samples in a row, or cron_restart fired',
};

const EVENTS = Object.keys(EVENT_MEANING) as LifecycleEventType[];

const edges = (): string[] => {
  const out = new Set<string>();
  for (const state of PROCESS_STATE_NAMES) {
    for (const event of EVENTS) {
      const action = TRANSITIONS[state][event];
      if (action === undefined) continue;
      for (const path of ACTION_PATHS[action]) {
        const only = ONLY_FROM[`${action}>${path.join('>')}`];
        if (only !== undefined && !only.includes(state)) continue;
        let from = state;
        path.forEach((to, i) => {
          const label = i === 0 ? event : (AUTOMATIC[`${from}>${to}`] ?? 'then');
          if (to !== from) out.add(`  ${from} --> ${to}: ${label}`);
          from = to;
        });
      }
    }
  }
  return [...out];
};

const diagram = (): string[] => ['```mermaid', 'stateDiagram-v2', '  [*] --> STOPPED', ...edges(), '```'];

const table = (): string[] => {
  const header = `| state (code) | ${EVENTS.join(' | ')} |`;
  const rule = `|---|${EVENTS.map(() => '---').join('|')}|`;
  const rows = PROCESS_STATE_NAMES.map(
    (state) =>
      `| ${state} (${ProcessStates[state]}) | ${EVENTS.map((e) => {
        const action = TRANSITIONS[state][e];
        return action === undefined ? '' : `\`${action}\``;
      }).join(' | ')} |`,
  );
  return [header, rule, ...rows];
};

const POLICIES = [
  '## Policies',
  '',
  '- **startsecs**: a process must stay up startsecs seconds to become RUNNING. An exit before that',
  '  is a failed start (BACKOFF), whatever its exit code, as in supervisord; an exit after that time',
  '  counts as a run even if the RUNNING timer has not fired yet (a busy machine).',
  '- **Backoff**: the n-th consecutive failed start waits n seconds (linear, the default); after startretries retries',
  '  (1 + startretries attempts) the process gives up: FATAL. A manual start resets the count.',
  '- **autorestart**: `true` restarts every exit from RUNNING, `false` none, `unexpected` those',
  '  whose exit code is not in exitcodes (death by a signal is never expected). Not while the',
  '  daemon is stopping.',
  '- **Stopping**: stopsignal (to the process group with stopasgroup), then SIGKILL (to the group',
  '  with killasgroup) after stopwaitsecs, repeated every stopwaitsecs.',
  '- **Leftovers**: when the main process exits, whatever it left in its process group is stopped',
  '  too (stop signal, then SIGKILL after stopwaitsecs), so no orphan outlives its program.',
  '- **Readiness, health, crash loops**: not ready within ready_timeout is a failed start (the group',
  '  is stopped, then BACKOFF); a failed health check or an expired watchdog stops the group and',
  '  restarts it (EXITED, then STARTING); `backoff = exponential` delays repeated restarts and',
  '  `restart_limit` restarts within `restart_window` seconds end in FATAL. See readiness.md.',
  '- **memory_limit, cron_restart**: a RUNNING process over its memory limit for',
  '  memory_limit_checks samples, or whose cron_restart time has come, is stopped like an unhealthy',
  '  one (the group: stop signal, SIGKILL after stopwaitsecs) and restarted. Memory restarts in a',
  '  row back off (1 s, 2 s, 3 s… or the exponential curve) and count for restart_limit; a',
  '  cron restart is deliberate and does neither. See policies.md.',
  '',
];

const actions = (): string[] => [
  '| action | states it can enter, in order |',
  '|---|---|',
  ...(Object.keys(ACTION_PATHS) as ActionName[]).map(
    (a) =>
      `| \`${a}\` | ${ACTION_PATHS[a].map((p) => (p.length === 0 ? '(no change)' : p.join(' → '))).join('; ')} |`,
  ),
];

export const renderLifecycleDocs = (): string =>
  [
    '# Process lifecycle',
    '',
    '<!-- Generated by scripts/gen-docs.mjs from src/process/transitions.ts; do not edit. -->',
    '',
    "tend uses supervisord's states and numeric codes (they travel over XML-RPC). Every change of",
    'state goes through one table: a (state, event) pair names the action that handles it, and a pair',
    'that is not in the table is a bug (`InvalidTransition`). Timers are events in the same table.',
    '',
    '## Diagram',
    '',
    ...diagram(),
    '',
    '## Events',
    '',
    '| event | meaning |',
    '|---|---|',
    ...EVENTS.map((e) => `| \`${e}\` | ${EVENT_MEANING[e]} |`),
    '',
    '## Transition table',
    '',
    'Empty cells are transitions that cannot happen.',
    '',
    ...table(),
    '',
    '## Actions',
    '',
    ...actions(),
    '',
    ...POLICIES,
  ].join('\n');
