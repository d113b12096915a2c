// Readiness mechanisms: the sd_notify socket and message format, probes, the ready poller and the
// health monitor. They only observe and report; the supervisor turns reports into lifecycle events.
export {
  NOTIFY_MAX_BYTES,
  formatNotify,
  parseAssignments,
  parseNotify,
  type NotifyUpdate,
} from './notify-message.js';
export { MAX_SOCKET_PATH, NotifyHub, sendDatagram, type NotifyEndpoint } from './notify-socket.js';
export {
  classifyHttp,
  probeExec,
  probeHttp,
  probeTcp,
  runProbe,
  type CommandRunner,
  type ProbeContext,
  type ProbeResult,
} from './probes.js';
export { pollUntilReady, type ReadyPoll } from './ready-poller.js';
export { HealthMonitor, type Health, type HealthSnapshot } from './health-monitor.js';
export type { TimerHandle, Timers } from './timers.js';
