// Every metric GET /metrics can expose, in the order it is written: one table, so the exposition
// writes only what is declared here (exposition.ts takes a key of this table) and docs/metrics.md
// is rendered from it. Names follow Prometheus's guide: base units (_seconds, _bytes), counters
// end in _total and nothing else does, an enum is one series per value with 0 or 1, and no label
// holds a pid, a time or anything else without bound.

export type MetricType = 'counter' | 'gauge';

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
}

const PROC = ['group', 'name'] as const;
const LOG = ['group', 'name', 'stream'] as const;

const family = (name: string, type: MetricType, labels: readonly string[], help: string): MetricFamily => ({
  name,
  type,
  labels,
  help,
});

export const FAMILIES = {
  processState: family(
    'tend_process_state',
    'gauge',
    [...PROC, 'state'],
    'The process state: one series per state, 1 for the current one.',
  ),
  processUp: family(
    'tend_process_up',
    'gauge',
    PROC,
    'Whether a child of the process is alive (STARTING, RUNNING, STOPPING with a pid).',
  ),
  processReady: family(
    'tend_process_ready',
    'gauge',
    PROC,
    'Whether the process is ready (RUNNING: its readiness check passed).',
  ),
  processHealth: family(
    'tend_process_health',
    'gauge',
    [...PROC, 'health'],
    'The health check verdict (programs with a healthcheck only): one series per verdict, 1 for the current one.',
  ),
  processStartTime: family(
    'tend_process_start_time_seconds',
    'gauge',
    PROC,
    'When the process was last started (Unix time; 0 when never started).',
  ),
  processStartup: family(
    'tend_process_startup_seconds',
    'gauge',
    PROC,
    'How long the last start took, from spawn to ready (once it has been ready).',
  ),
  processRestarts: family(
    'tend_process_restarts_total',
    'counter',
    [...PROC, 'reason'],
    'Restarts, by reason (crash, health, watchdog, memory, cron, operator).',
  ),
  processExits: family(
    'tend_process_exits_total',
    'counter',
    [...PROC, 'code'],
    'Exits of a running process (EXITED), by exit status (-1: killed by a signal).',
  ),
  processStartFailures: family(
    'tend_process_start_failures_total',
    'counter',
    PROC,
    'Failed starts (BACKOFF: exited before it was ready, or could not be spawned).',
  ),
  processCpu: family(
    'tend_process_cpu_seconds_total',
    'counter',
    PROC,
    'CPU time (user + system) of the process tree, including children it has reaped.',
  ),
  processMemory: family(
    'tend_process_resident_memory_bytes',
    'gauge',
    PROC,
    'Resident memory of the process tree (the sum over its live processes).',
  ),
  processTree: family(
    'tend_process_tree_processes',
    'gauge',
    PROC,
    'Live processes in the process tree (the child and its descendants).',
  ),
  processMemoryLimit: family(
    'tend_process_memory_limit_bytes',
    'gauge',
    PROC,
    'memory_limit: resident memory of the tree above which the program is restarted (programs with a limit only).',
  ),
  processNextCronRestart: family(
    'tend_process_next_cron_restart_timestamp_seconds',
    'gauge',
    PROC,
    'When cron_restart fires next (Unix time; programs with a schedule only).',
  ),
  logWritten: family(
    'tend_log_written_bytes_total',
    'counter',
    LOG,
    'Output bytes written to the log file of a stream (stdout, stderr).',
  ),
  logDropped: family(
    'tend_log_dropped_bytes_total',
    'counter',
    LOG,
    'Output bytes dropped because the log file could not be written.',
  ),
  logHeld: family(
    'tend_log_held_bytes',
    'gauge',
    LOG,
    'Output bytes waiting in memory for the log file to take them.',
  ),
  logRotations: family('tend_log_rotations_total', 'counter', LOG, 'Rotations of the log file.'),
  buildInfo: family(
    'tend_build_info',
    'gauge',
    ['version', 'nodejs'],
    'Always 1: the versions of tend and Node.js running the daemon.',
  ),
  supervisorState: family(
    'tend_supervisor_state',
    'gauge',
    ['state'],
    "The daemon's state: one series per state, 1 for the current one.",
  ),
  events: family('tend_events_total', 'counter', ['type'], 'Events published on the bus, by type.'),
  listenerBuffered: family(
    'tend_listener_pool_buffered_events',
    'gauge',
    ['pool'],
    'Events waiting in an event-listener pool for a listener to take them.',
  ),
  listenerBufferSize: family(
    'tend_listener_pool_buffer_size',
    'gauge',
    ['pool'],
    "An event-listener pool's buffer_size.",
  ),
  listenerDropped: family(
    'tend_listener_pool_dropped_events_total',
    'counter',
    ['pool'],
    'Events an event-listener pool dropped because its buffer was full.',
  ),
  alertEvents: family(
    'tend_alert_events_total',
    'counter',
    ['alert'],
    'Events an [alert:x] section accepted (they matched its events and programs).',
  ),
  alertSent: family(
    'tend_alert_messages_sent_total',
    'counter',
    ['alert'],
    'Messages an [alert:x] section delivered (test messages included).',
  ),
  alertFailed: family(
    'tend_alert_messages_failed_total',
    'counter',
    ['alert'],
    'Messages an [alert:x] section gave up on after every retry.',
  ),
  alertRetries: family(
    'tend_alert_retries_total',
    'counter',
    ['alert'],
    'Failed delivery attempts an [alert:x] section tried again.',
  ),
  alertDropped: family(
    'tend_alert_dropped_events_total',
    'counter',
    ['alert'],
    'Events an [alert:x] section dropped because its queue was full.',
  ),
  alertQueued: family(
    'tend_alert_queued_events',
    'gauge',
    ['alert'],
    'Events waiting in an [alert:x] section for their message to be sent.',
  ),
  sseClients: family(
    'tend_sse_clients',
    'gauge',
    [],
    'Clients connected to the event stream (/api/v1/events).',
  ),
  statsPass: family(
    'tend_stats_pass_seconds',
    'gauge',
    [],
    'Wall time of the latest CPU and memory sampling pass over /proc.',
  ),
  cpuUser: family('process_cpu_user_seconds_total', 'counter', [], "The daemon's user CPU time."),
  cpuSystem: family('process_cpu_system_seconds_total', 'counter', [], "The daemon's system CPU time."),
  cpuTotal: family('process_cpu_seconds_total', 'counter', [], "The daemon's user and system CPU time."),
  startTime: family('process_start_time_seconds', 'gauge', [], 'When the daemon started (Unix time).'),
  residentMemory: family('process_resident_memory_bytes', 'gauge', [], "The daemon's resident memory."),
  virtualMemory: family('process_virtual_memory_bytes', 'gauge', [], "The daemon's virtual memory size."),
  openFds: family('process_open_fds', 'gauge', [], 'File descriptors the daemon has open.'),
  maxFds: family('process_max_fds', 'gauge', [], "The daemon's limit on open file descriptors."),
  heapUsed: family('nodejs_heap_size_used_bytes', 'gauge', [], 'V8 heap in use by the daemon.'),
  heapTotal: family('nodejs_heap_size_total_bytes', 'gauge', [], 'V8 heap allocated by the daemon.'),
  external: family(
    'nodejs_external_memory_bytes',
    'gauge',
    [],
    'Memory of C++ objects bound to JavaScript objects (buffers) in the daemon.',
  ),
} as const satisfies Record<string, MetricFamily>;

export type FamilyKey = keyof typeof FAMILIES;

/** The families in the order a scrape writes them. */
export const FAMILY_LIST: readonly MetricFamily[] = Object.values(FAMILIES);
