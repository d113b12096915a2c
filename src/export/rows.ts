import type { ProcessConfig } from '../config/index.js';
import {
  dropped,
  everywhere,
  internal,
  mapped,
  partial,
  type MappingRow,
  type Target,
  type Treatment,
} from './mapping.js';

// The rows of the mapping table (mapping.ts says how they are used). Adding a config key means
// adding its row here; test/unit/export/mapping.test.ts fails while a ProcessConfig field has none.

type Targets = Readonly<Record<Target, Treatment>>;

const row = (
  field: keyof ProcessConfig,
  keys: readonly string[],
  active: (p: ProcessConfig) => boolean,
  targets: Targets,
): MappingRow => ({ field, keys, active, targets });

const never = (): boolean => false;
const ORDER_FREE = 'starts programs in no order';
const LINEAR_DEFAULT = (p: ProcessConfig): boolean =>
  p.backoff.kind !== 'linear' || p.backoff.maxSecs !== null;
const isDefaultStatus = (p: ProcessConfig): boolean =>
  p.httpExpect.status.length === 1 &&
  p.httpExpect.status[0]?.from === 200 &&
  p.httpExpect.status[0].to === 399;

const IDENTITY: MappingRow[] = [
  row('name', ['process_name'], never, {
    systemd: mapped(
      'the unit name; numprocs > 1 gives a template unit NAME@.service, one instance per process',
    ),
    kubernetes: mapped('Deployment and container names (DNS-1035 labels; a mapped name is reported)'),
    nomad: mapped('task group and task names'),
    compose: mapped('service name'),
  }),
  row('program', [], never, everywhere(internal('the section name; names are derived from it'))),
  row('group', ['[group:x] programs'], never, {
    systemd: mapped('a GROUP.target that Wants= its programs; each program is PartOf= it'),
    kubernetes: mapped(
      'label app.kubernetes.io/part-of; with --pod-per-group one Deployment per group, a container per process',
    ),
    nomad: mapped('meta group; with --pod-per-group one task group per group, a task per process'),
    compose: partial(
      'label tend.group',
      'Compose has no pods: --pod-per-group still gives one service per program',
    ),
  }),
  row('processNum', ['numprocs', 'numprocs_start'], (p) => p.processNum !== 0, {
    systemd: mapped('template instances NAME@N.service; %(process_num)d in values becomes %i'),
    kubernetes: partial(
      'Deployment replicas',
      "replicas are identical: a value that differs per process is the first process's",
    ),
    nomad: partial(
      'group count; %(process_num)d in command/env becomes ${NOMAD_ALLOC_INDEX}',
      'only when numprocs_start = 0 and the number is all that differs',
    ),
    compose: partial(
      'deploy.replicas',
      "replicas are identical: a value that differs per process is the first process's",
    ),
  }),
  row(
    'source',
    [],
    never,
    everywhere(internal('where the section was read; named in the generated comments')),
  ),
];

const COMMAND: MappingRow[] = [
  row('command', ['command'], never, {
    systemd: mapped(
      'ExecStart= with each word quoted for systemd (no shell, as supervisord); % and $ escaped',
    ),
    kubernetes: mapped('container command (replaces the image ENTRYPOINT; no shell)'),
    nomad: mapped('config.command and config.args (raw_exec, or docker with --image)'),
    compose: mapped('entrypoint as a list (no shell)'),
  }),
  row('argv', [], never, everywhere(internal('command split into words; what the targets receive'))),
  row('kind', ['[eventlistener:x]', '[fcgi-program:x]'], (p) => p.kind !== 'program', {
    systemd: partial(
      'a service; an fcgi-program also gets a NAME.socket unit passed as stdin',
      'an event listener receives no events',
    ),
    kubernetes: partial(
      'a Deployment; an fcgi-program on tcp:// gets a Service',
      'an event listener receives no events; the socket is not passed as fd 0',
    ),
    nomad: partial('a task', 'an event listener receives no events; the socket is not passed as fd 0'),
    compose: partial('a service', 'an event listener receives no events; the socket is not passed as fd 0'),
  }),
  row('directory', ['directory'], (p) => p.directory !== null, {
    systemd: mapped('WorkingDirectory='),
    kubernetes: mapped('workingDir'),
    nomad: mapped('config.work_dir'),
    compose: mapped('working_dir'),
  }),
  row(
    'environment',
    ['environment', '[supervisord] environment'],
    (p) => Object.keys(p.environment).length > 0,
    {
      systemd: mapped('Environment= (one quoted assignment per variable)'),
      kubernetes: mapped('container env'),
      nomad: mapped('env'),
      compose: mapped('environment'),
    },
  ),
  row('user', ['user'], (p) => p.user !== null, {
    systemd: mapped("User= (the user's primary group, as supervisord)"),
    kubernetes: mapped('securityContext.runAsUser / runAsGroup, the uid and gid this machine resolves'),
    nomad: mapped('user'),
    compose: mapped('user as uid:gid, as this machine resolves them'),
  }),
  row('umask', ['umask'], (p) => p.umask !== null, {
    systemd: mapped('UMask='),
    kubernetes: dropped('Kubernetes has no umask setting: set it in the image or the entrypoint'),
    nomad: dropped('Nomad has no umask setting: set it in a wrapper script'),
    compose: dropped('Compose has no umask setting: set it in the image or the entrypoint'),
  }),
  row(
    'serverurl',
    ['serverurl'],
    (p) => p.serverurl !== null,
    everywhere(dropped('SUPERVISOR_SERVER_URL points at tend, which does not run there')),
  ),
];

const LIFECYCLE: MappingRow[] = [
  row('autostart', ['autostart'], (p) => !p.autostart, {
    systemd: mapped(
      '[Install] WantedBy= (multi-user.target or the group target); autostart=false leaves [Install] out',
    ),
    kubernetes: mapped('autostart=false gives replicas: 0'),
    nomad: mapped('autostart=false gives count 0'),
    compose: mapped('autostart=false puts the service in profile "manual" (started with --profile manual)'),
  }),
  row('autorestart', ['autorestart'], (p) => p.autorestart !== 'unexpected', {
    systemd: mapped('Restart=always | on-failure | no'),
    kubernetes: partial(
      'restartPolicy: Always',
      'a Deployment always restarts its containers, even with autorestart=false',
    ),
    nomad: partial(
      'restart block, mode fail',
      'a service job restarts every exit; autorestart=false gives no restart attempts',
    ),
    compose: mapped('restart: always | on-failure | "no"'),
  }),
  row('exitcodes', ['exitcodes'], (p) => p.exitcodes.length !== 1 || p.exitcodes[0] !== 0, {
    systemd: mapped('SuccessExitStatus= (codes besides 0); RestartForceExitStatus=0 when 0 is not expected'),
    kubernetes: dropped('a Deployment restarts its containers whatever the exit code'),
    nomad: dropped('Nomad restarts a service task whatever the exit code'),
    compose: dropped('restart: on-failure counts every non-zero exit as a failure'),
  }),
  row('startsecs', ['startsecs'], (p) => p.startsecs !== 1, {
    systemd: partial(
      "ExecStartPost= waiting startsecs (a dependent's After= waits for it)",
      'a process that exits during the wait fails the start, as in supervisord',
    ),
    kubernetes: mapped('minReadySeconds'),
    nomad: mapped('update.min_healthy_time'),
    compose: dropped('Compose has no minimum uptime for a start'),
  }),
  row('startretries', ['startretries'], (p) => p.startretries !== 3, {
    systemd: mapped('StartLimitBurst= (startretries + 1) within StartLimitIntervalSec='),
    kubernetes: dropped('Kubernetes retries a crashing container forever (CrashLoopBackOff)'),
    nomad: mapped('restart.attempts (without restart_limit)'),
    compose: dropped('restart: on-failure retries without a limit'),
  }),
  row('stopsignal', ['stopsignal'], (p) => p.stopsignal !== 'TERM', {
    systemd: mapped('KillSignal='),
    kubernetes: mapped(
      'a preStop hook that sends the signal to pid 1 and waits (Kubernetes then sends TERM)',
    ),
    nomad: mapped('kill_signal'),
    compose: mapped('stop_signal'),
  }),
  row('stopwaitsecs', ['stopwaitsecs'], never, {
    systemd: mapped('TimeoutStopSec='),
    kubernetes: mapped("terminationGracePeriodSeconds (the longest of a pod's containers)"),
    nomad: mapped('kill_timeout'),
    compose: mapped('stop_grace_period'),
  }),
  row('stopasgroup', ['stopasgroup'], never, {
    systemd: mapped('KillMode=control-group (true) or mixed (false: SIGKILL still reaches the whole cgroup)'),
    kubernetes: mapped('implicit: stopping a container stops all its processes'),
    nomad: mapped("implicit: the task driver stops all the task's processes"),
    compose: mapped('implicit: stopping a container stops all its processes'),
  }),
  row('killasgroup', ['killasgroup'], never, {
    systemd: mapped('KillMode= (see stopasgroup)'),
    kubernetes: mapped('implicit'),
    nomad: mapped('implicit'),
    compose: mapped('implicit'),
  }),
  row('backoff', ['backoff', 'backoff_max'], LINEAR_DEFAULT, {
    systemd: partial(
      'RestartSec=1; exponential: RestartSteps=/RestartMaxDelaySec= as comments',
      'RestartSteps= needs systemd 254',
    ),
    kubernetes: dropped('Kubernetes backs off on its own (10 s doubling to 5 min)'),
    nomad: partial(
      'restart.delay 1s',
      "Nomad's restart delay is fixed (its reschedule block is exponential)",
    ),
    compose: dropped('Docker backs off on its own (doubling from 100 ms)'),
  }),
  row('restartLimit', ['restart_limit'], (p) => p.restartLimit > 0, {
    systemd: mapped('StartLimitBurst= (restart_limit + 1)'),
    kubernetes: dropped('Kubernetes has no flap guard: the container backs off forever'),
    nomad: mapped('restart.attempts, mode fail'),
    compose: dropped('Compose has no flap guard'),
  }),
  row('restartWindow', ['restart_window'], (p) => p.restartLimit > 0, {
    systemd: mapped('StartLimitIntervalSec='),
    kubernetes: dropped('Kubernetes has no flap guard'),
    nomad: mapped('restart.interval'),
    compose: dropped('Compose has no flap guard'),
  }),
];

// A memory limit elsewhere is a hard cgroup limit (the kernel's OOM killer), not tend's graceful
// restart after several samples: close enough to hint at, not to claim as mapped.
const POLICIES: MappingRow[] = [
  row('memoryLimit', ['memory_limit'], (p) => p.memoryLimit > 0, {
    systemd: dropped('not carried over: MemoryMax= is the closest (the OOM killer, not a graceful restart)'),
    kubernetes: dropped(
      'not carried over: resources.limits.memory is the closest (an OOM kill, not a graceful restart)',
    ),
    nomad: dropped(
      'not carried over: resources.memory_max is the closest (an OOM kill, not a graceful restart)',
    ),
    compose: dropped('not carried over: mem_limit is the closest (an OOM kill, not a graceful restart)'),
  }),
  row('memoryLimitChecks', ['memory_limit_checks'], never, everywhere(internal('goes with memory_limit'))),
  row('cronRestart', ['cron_restart', 'cron_timezone'], (p) => p.cronRestart !== null, {
    systemd: dropped('not carried over: a .timer unit running systemctl restart does the same'),
    kubernetes: dropped('not carried over: a CronJob running kubectl rollout restart does the same'),
    nomad: dropped('not carried over: a periodic job running nomad alloc restart does the same'),
    compose: dropped('Compose has no schedules: a host cron job running docker compose restart'),
  }),
];

const logSet = (p: ProcessConfig): boolean =>
  p.stdout.target.kind !== 'auto' || p.stderr.target.kind !== 'auto';

const LOGS: MappingRow[] = [
  row(
    'stdout',
    [
      'stdout_logfile',
      'stdout_logfile_maxbytes',
      'stdout_logfile_backups',
      'stdout_logfile_maxage',
      'stdout_syslog',
    ],
    logSet,
    {
      systemd: partial(
        'AUTO: the journal (journalctl -u UNIT); a path: StandardOutput=append:PATH; NONE: null',
        'systemd does not rotate a file (use logrotate); the journal rotates by journald.conf',
      ),
      kubernetes: partial(
        'the container log (kubectl logs)',
        'a log file path is not written; the kubelet rotates the container log',
      ),
      nomad: mapped('the task log (nomad alloc logs); maxbytes/backups become logs.max_file_size/max_files'),
      compose: mapped(
        'the container log (docker compose logs); maxbytes/backups become json-file max-size/max-file',
      ),
    },
  ),
  row(
    'stderr',
    [
      'stderr_logfile',
      'stderr_logfile_maxbytes',
      'stderr_logfile_backups',
      'stderr_logfile_maxage',
      'stderr_syslog',
    ],
    logSet,
    {
      systemd: partial('as stdout, with StandardError=', 'as stdout'),
      kubernetes: partial('the container log, with stdout', 'a log file path is not written'),
      nomad: mapped("the task's stderr log (nomad alloc logs -stderr)"),
      compose: mapped('the container log, with stdout'),
    },
  ),
  row('logTimestamps', ['log_timestamps'], (p) => p.logTimestamps, {
    systemd: mapped('implicit: the journal stamps every line (journalctl -o short-iso-precise)'),
    kubernetes: mapped('implicit: the container log stamps every line (kubectl logs --timestamps)'),
    nomad: dropped('Nomad task logs carry no time per line'),
    compose: mapped('implicit: the json-file log stamps every line (docker compose logs -t)'),
  }),
  row('logFormat', ['log_format'], (p) => p.logFormat === 'json', {
    systemd: partial('journalctl -o json gives one JSON object per line', 'the file itself is not written'),
    kubernetes: dropped('the container log has its own format (CRI); JSON lines are not written'),
    nomad: dropped('Nomad task logs are raw output'),
    compose: partial(
      'the json-file driver keeps one JSON object per line',
      'its fields are log, stream and time',
    ),
  }),
  row('redirectStderr', ['redirect_stderr'], never, {
    systemd: mapped('StandardError=inherit (true) or its own destination'),
    kubernetes: mapped('implicit: one container log holds both streams'),
    nomad: partial('separate stdout and stderr logs', 'Nomad keeps the streams apart'),
    compose: mapped('implicit: one container log holds both streams'),
  }),
];

const hasProbe = (p: ProcessConfig): boolean => p.ready.kind !== 'startsecs' && p.ready.kind !== 'notify';

const READINESS: MappingRow[] = [
  row('ready', ['ready'], (p) => p.ready.kind !== 'startsecs', {
    systemd: partial(
      'notify: Type=notify',
      'systemd has no tcp/http/exec readiness probe: the unit counts as started after startsecs',
    ),
    kubernetes: partial(
      'tcp/http/exec: startupProbe + readinessProbe',
      'notify has no equivalent (no NOTIFY_SOCKET in a pod)',
    ),
    nomad: partial(
      'tcp/http: a service check + update.health_check = "checks"; exec: a Consul script check',
      'notify has no equivalent',
    ),
    compose: partial(
      'tcp/http/exec: healthcheck, and dependents wait with condition: service_healthy',
      'notify has no equivalent; tcp/http probes run inside the container (bash, curl or wget)',
    ),
  }),
  row('readyTimeout', ['ready_timeout'], (p) => p.readyTimeout !== 90 && p.ready.kind !== 'startsecs', {
    systemd: mapped('TimeoutStartSec= (0: infinity)'),
    kubernetes: mapped('startupProbe failureThreshold'),
    nomad: mapped('update.healthy_deadline'),
    compose: mapped('healthcheck start_period'),
  }),
  row('critical', ['critical'], (p) => p.critical, {
    systemd: partial(
      'OnFailure= can start a unit of your choice',
      'a FATAL program does not stop the other units; systemd restarts each unit on its own',
    ),
    kubernetes: mapped('implicit: a container that keeps failing fails its Pod, which Kubernetes restarts'),
    nomad: mapped(
      'implicit: a task that fails past its restart block fails its allocation, which Nomad reschedules',
    ),
    compose: dropped('Compose restarts each service on its own; nothing ends the project when one gives up'),
  }),
  row('watchdogSec', ['watchdog_sec'], (p) => p.watchdogSec > 0, {
    systemd: mapped('WatchdogSec='),
    kubernetes: dropped('Kubernetes has no watchdog: a livenessProbe is the closest'),
    nomad: dropped('Nomad has no watchdog: a check with check_restart is the closest'),
    compose: dropped('Compose has no watchdog'),
  }),
  row(
    'healthcheck',
    ['healthcheck', 'healthcheck_interval', 'healthcheck_retries', 'healthcheck_start_period'],
    (p) => p.healthcheck !== null,
    {
      systemd: dropped('systemd has no health probe: use WatchdogSec= or a timer unit'),
      kubernetes: mapped('livenessProbe (period, failureThreshold, initialDelaySeconds)'),
      nomad: mapped('a service check with check_restart (limit, grace)'),
      compose: partial(
        'healthcheck',
        'Docker marks the container unhealthy but does not restart it (Swarm does)',
      ),
    },
  ),
  row('probeTimeoutSecs', ['healthcheck_timeout'], never, {
    systemd: internal('goes with the probes, which systemd does not have'),
    kubernetes: mapped('timeoutSeconds of each probe'),
    nomad: mapped('check timeout'),
    compose: mapped('healthcheck timeout'),
  }),
  row(
    'httpExpect',
    ['healthcheck_expect_status', 'healthcheck_expect_header'],
    (p) => (hasProbe(p) || p.healthcheck !== null) && (!isDefaultStatus(p) || p.httpExpect.header !== null),
    {
      systemd: internal('goes with the probes'),
      kubernetes: dropped('an httpGet probe passes on any status from 200 to 399 and cannot test a header'),
      nomad: dropped('an http check passes on 2xx and cannot test a header'),
      compose: dropped('the probe passes on any status below 400 and does not test a header'),
    },
  ),
];

const ORDER: MappingRow[] = [
  row('dependsOn', ['depends_on'], (p) => p.dependsOn.length > 0, {
    systemd: mapped("Requires= and After= on the dependencies' units (a group: its target)"),
    kubernetes: partial(
      "an init container waiting for the dependency's Service (its tcp/http probe port)",
      `without a probe port Kubernetes ${ORDER_FREE}`,
    ),
    nomad: partial(
      'with --pod-per-group in one group: the dependency is a prestart sidecar task',
      `across groups Nomad ${ORDER_FREE}`,
    ),
    compose: mapped(
      'depends_on with condition service_healthy (a dependency with a probe) or service_started',
    ),
  }),
  row('priority', ['priority'], (p) => p.priority !== 999, {
    systemd: mapped('After= on the programs of the next lower priority'),
    kubernetes: dropped(`Kubernetes ${ORDER_FREE}: use depends_on for an order that matters`),
    nomad: dropped(`Nomad ${ORDER_FREE}: use depends_on for an order that matters`),
    compose: dropped(`Compose ${ORDER_FREE} without depends_on`),
  }),
  row(
    'eventlistener',
    ['events', 'buffer_size', 'result_handler'],
    (p) => p.eventlistener !== null,
    everywhere(
      dropped(
        "no supervisord event bus there: the listener runs but receives no events (alerts: use the target's own, e.g. OnFailure= units, Kubernetes events)",
      ),
    ),
  ),
  row('fcgi', ['socket', 'socket_backlog', 'socket_owner', 'socket_mode'], (p) => p.fcgi !== null, {
    systemd: mapped(
      'NAME.socket (ListenStream=, Backlog=, SocketUser=/SocketGroup=, SocketMode=) passed as stdin',
    ),
    kubernetes: partial(
      'a Service on the tcp port',
      'the program must listen itself: a socket cannot be passed as fd 0',
    ),
    nomad: dropped('Nomad cannot pass a listening socket as fd 0: the program must listen itself'),
    compose: dropped('Compose cannot pass a listening socket as fd 0: the program must listen itself'),
  }),
  row('socket', ['socket', 'socket_backlog', 'socket_owner', 'socket_mode'], (p) => p.socket !== null, {
    systemd: mapped(
      'NAME.socket (ListenStream=, Backlog=, SocketMode=, SocketUser=/SocketGroup=, FileDescriptorName=): systemd passes it as fd 3 with LISTEN_FDS as tend does; with numprocs > 1 only the first instance gets it',
    ),
    kubernetes: dropped('a Pod cannot receive a listening socket: the program must listen itself'),
    nomad: dropped('Nomad cannot pass a listening socket: the program must listen itself'),
    compose: dropped('Compose cannot pass a listening socket: the program must listen itself'),
  }),
  row('restartStrategy', ['restart_strategy'], (p) => p.restartStrategy === 'rolling', {
    systemd: dropped('systemd stops a service before starting it again: no rolling restart'),
    kubernetes: dropped('not generated yet: a Deployment rolls by default (strategy RollingUpdate)'),
    nomad: dropped('not generated yet: an update block with max_parallel rolls'),
    compose: dropped('Compose recreates a service: no rolling restart'),
  }),
  row(
    'surge',
    [],
    never,
    everywhere(internal("a rolling restart's extra instances, derived from the program")),
  ),
  row(
    'rollingMaxSurge',
    ['rolling_max_surge'],
    (p) => p.restartStrategy === 'rolling' && p.rollingMaxSurge !== 1,
    {
      systemd: dropped('no rolling restart'),
      kubernetes: dropped('not generated yet: strategy.rollingUpdate.maxSurge'),
      nomad: dropped('not generated yet: update.max_parallel'),
      compose: dropped('no rolling restart'),
    },
  ),
];

/** The table. Keep one row per ProcessConfig field. */
export const MAPPING_ROWS: readonly MappingRow[] = [
  ...IDENTITY,
  ...COMMAND,
  ...LIFECYCLE,
  ...POLICIES,
  ...LOGS,
  ...READINESS,
  ...ORDER,
];
