// The PromQL examples and alert rules docs/metrics.md shows. They live in code so a test can give
// them to the real thing: promtool check rules parses every expression, promtool test rules runs
// the alerts against input series.

export interface PromqlExample {
  readonly what: string;
  readonly expr: string;
}

export const PROMQL_EXAMPLES: readonly PromqlExample[] = [
  {
    what: 'Programs not running now (any state but RUNNING)',
    expr: 'tend_process_state{state!="RUNNING"} == 1',
  },
  {
    what: 'Restarts in the last hour, by program and reason',
    expr: 'sum by (instance, group, name, reason) (increase(tend_process_restarts_total[1h])) > 0',
  },
  {
    what: 'Exits in the last day, by exit status (-1: killed by a signal)',
    expr: 'sum by (instance, group, name, code) (increase(tend_process_exits_total[1d])) > 0',
  },
  {
    what: 'CPU cores used by each program with all its children',
    expr: 'rate(tend_process_cpu_seconds_total[5m])',
  },
  { what: 'The five programs using the most memory', expr: 'topk(5, tend_process_resident_memory_bytes)' },
  {
    what: 'Programs above 90 % of their memory_limit (a restart is near)',
    expr: 'tend_process_resident_memory_bytes / tend_process_memory_limit_bytes > 0.9',
  },
  {
    what: 'Uptime of running programs, in seconds',
    expr: '(time() - tend_process_start_time_seconds) and on (instance, group, name) (tend_process_up == 1)',
  },
  { what: 'Programs that took longer than 30 s to become ready', expr: 'tend_process_startup_seconds > 30' },
  {
    what: 'Log bytes written per second, by stream',
    expr: 'sum by (instance, stream) (rate(tend_log_written_bytes_total[5m]))',
  },
  {
    what: 'Log output lost (a full or unwritable disk)',
    expr: 'increase(tend_log_dropped_bytes_total[1h]) > 0',
  },
  { what: "The daemon's own CPU, in cores", expr: 'rate(process_cpu_seconds_total{job="tend"}[5m])' },
  {
    what: 'Crashes per minute across a fleet of daemons',
    expr: 'sum(rate(tend_process_restarts_total{reason="crash"}[5m])) * 60',
  },
];

/** A rule file for Prometheus (rule_files:), as docs/metrics.md prints it. */
export const ALERT_RULES = `groups:
  - name: tend
    rules:
      - alert: TendProgramFatal
        expr: tend_process_state{state="FATAL"} == 1
        for: 1m
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.group }}:{{ $labels.name }} on {{ $labels.instance }} gave up (FATAL)"
      - alert: TendProgramCrashLooping
        expr: increase(tend_process_restarts_total{reason="crash"}[15m]) > 5
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.group }}:{{ $labels.name }} on {{ $labels.instance }} crashed {{ $value | humanize }} times in 15 minutes"
      - alert: TendProgramUnhealthy
        expr: tend_process_health{health="unhealthy"} == 1
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.group }}:{{ $labels.name }} on {{ $labels.instance }} fails its health check"
      - alert: TendProgramNotReady
        expr: tend_process_state{state=~"STARTING|BACKOFF"} == 1
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.group }}:{{ $labels.name }} on {{ $labels.instance }} has not become ready in 10 minutes"
      - alert: TendLogOutputLost
        expr: increase(tend_log_dropped_bytes_total[10m]) > 0
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.group }}:{{ $labels.name }} on {{ $labels.instance }} lost {{ $value | humanize1024 }}B of {{ $labels.stream }}"
      - alert: TendEventListenerBacklog
        expr: tend_listener_pool_buffered_events / tend_listener_pool_buffer_size > 0.8
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: "event listener pool {{ $labels.pool }} on {{ $labels.instance }} is falling behind"
      - alert: TendAlertDeliveryFailing
        expr: increase(tend_alert_messages_failed_total[15m]) > 0
        labels:
          severity: warning
        annotations:
          summary: "[alert:{{ $labels.alert }}] on {{ $labels.instance }} could not deliver a message"
      - alert: TendDown
        expr: up{job="tend"} == 0
        for: 1m
        labels:
          severity: page
        annotations:
          summary: "tend on {{ $labels.instance }} does not answer scrapes"
`;
