// The config layer: supervisord's INI dialect in, a frozen and fully defaulted Config out.
export { checkConfig, loadConfig, type CheckedConfig } from './load.js';
export { findConfigFile, locateConfigFile, SEARCH_PATHS, type LocatedConfig } from './search.js';
export { readClientSettings, type ClientSettings } from './client.js';
export { shlexSplit } from './shlex.js';
export { signalNumber } from './signals.js';
export { renderConfigDocs } from './docs.js';
export { SECTION_KINDS, type SectionKind } from './sections.js';
export type { KeySpec } from './schema.js';
export { sectionsNamed } from './depends.js';
export { ConfigError, formatConfigError, type ConfigErrorLocation } from './errors.js';
export { warningText } from './warnings.js';
export { nextFirings } from './cron.js';
export { fnmatchRegex } from './glob.js';
export { MIN_SECRET_LENGTH } from './sections/alerts.js';
export { INERT_KEYS, inertWarnings, type InertKey } from './inert.js';
export type {
  AlertConfig,
  AlertTarget,
  MailSettings,
  AutoRestart,
  BackoffConfig,
  CronRestartConfig,
  HealthcheckConfig,
  HeaderExpectation,
  HttpExpectation,
  ProbeSpec,
  ReadySpec,
  StatusRange,
  Config,
  ConfigWarning,
  EventListenerConfig,
  FcgiConfig,
  GroupConfig,
  InetHttpServerConfig,
  LoadOptions,
  LogConfig,
  LogLevel,
  LogTarget,
  ProcessConfig,
  ProgramKind,
  SignalName,
  SourceRef,
  SupervisorctlConfig,
  SupervisordConfig,
  UnixHttpServerConfig,
  WebRole,
  WebServerConfig,
  WebUserConfig,
  UserSpec,
  SectionSource,
  WrittenKey,
} from './types.js';
