// The config layer: supervisord's INI dialect in, a frozen and fully defaulted Config out.
export { loadConfig } from './load.js';
export { findConfigFile, SEARCH_PATHS } from './search.js';
export { readClientSettings, type ClientSettings } from './client.js';
export { shlexSplit } from './shlex.js';
export { signalNumber } from './signals.js';
export { renderConfigDocs } from './docs.js';
export { SECTION_KINDS, type SectionKind } from './sections.js';
export type { KeySpec } from './schema.js';
export { sectionsNamed } from './depends.js';
export { ConfigError, formatConfigError, type ConfigErrorLocation } from './errors.js';
export type {
  AutoRestart,
  BackoffConfig,
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
  UserSpec,
} from './types.js';
