// tend's own [program:x] keys, read once per section like supervisord's behaviour keys. A value
// that only makes sense with another key (healthcheck_* without healthcheck) is accepted as is:
// it may come from [DEFAULT], which every section shares.
import { need, read, type Reader } from '../reader.js';
import { PROGRAM_KEYS as K } from '../schema.js';
import type { ProcessConfig } from '../types.js';

export type TendKeys = Pick<
  ProcessConfig,
  | 'ready'
  | 'readyTimeout'
  | 'watchdogSec'
  | 'healthcheck'
  | 'probeTimeoutSecs'
  | 'httpExpect'
  | 'dependsOn'
  | 'backoff'
  | 'restartLimit'
  | 'restartWindow'
  | 'critical'
  | 'memoryLimit'
  | 'memoryLimitChecks'
  | 'cronRestart'
  | 'logTimestamps'
  | 'logFormat'
  | 'restartStrategy'
  | 'rollingMaxSurge'
>;

/** Exponential backoff without backoff_max stops growing at a minute. */
const EXPONENTIAL_CAP_SECS = 60;

const readHealthcheck = (r: Reader): ProcessConfig['healthcheck'] => {
  const probe = read(r, K.healthcheck);
  if (probe === null) return null;
  return {
    probe,
    intervalSecs: need(r, K.healthcheck_interval),
    timeoutSecs: need(r, K.healthcheck_timeout),
    retries: need(r, K.healthcheck_retries),
    startPeriodSecs: need(r, K.healthcheck_start_period),
  };
};

// The zone is checked with the expression: a zone croner cannot convert to is refused here too.
const readCron = (r: Reader): ProcessConfig['cronRestart'] => {
  const timezone = read(r, K.cron_timezone);
  const expression = read(r, K.cron_restart);
  return expression === null ? null : { expression, timezone };
};

export const readTendKeys = (r: Reader): TendKeys => {
  const kind = need(r, K.backoff);
  const max = read(r, K.backoff_max);
  return {
    ready: need(r, K.ready),
    readyTimeout: need(r, K.ready_timeout),
    watchdogSec: need(r, K.watchdog_sec),
    healthcheck: readHealthcheck(r),
    probeTimeoutSecs: need(r, K.healthcheck_timeout),
    httpExpect: {
      status: need(r, K.healthcheck_expect_status),
      header: read(r, K.healthcheck_expect_header),
    },
    dependsOn: need(r, K.depends_on),
    backoff: { kind, maxSecs: max ?? (kind === 'exponential' ? EXPONENTIAL_CAP_SECS : null) },
    restartLimit: need(r, K.restart_limit),
    restartWindow: need(r, K.restart_window),
    critical: need(r, K.critical),
    memoryLimit: need(r, K.memory_limit),
    memoryLimitChecks: need(r, K.memory_limit_checks),
    cronRestart: readCron(r),
    logTimestamps: need(r, K.log_timestamps),
    logFormat: need(r, K.log_format),
    restartStrategy: need(r, K.restart_strategy),
    rollingMaxSurge: need(r, K.rolling_max_surge),
  };
};
