import { TendError } from '../errors/index.js';

export interface ConfigErrorLocation {
  readonly file: string;
  readonly line: number;
  readonly section?: string | undefined;
  readonly key?: string | undefined;
  readonly value?: string | undefined;
  /** What would have been accepted, e.g. `true, false or unexpected`. */
  readonly expected?: string | undefined;
}

// A config error always names where it is: `file:line: [section] key = "value": reason`.
// The supervisor layer turns it into CANT_REREAD for reloadConfig; the daemon exits 2 with it.
export class ConfigError extends TendError {
  readonly location: ConfigErrorLocation;
  readonly reason: string;

  constructor(location: ConfigErrorLocation, reason: string, hint?: string) {
    super('CONFIG_INVALID', formatConfigError(location, reason), { hint });
    this.name = 'ConfigError';
    this.location = location;
    this.reason = reason;
  }
}

export const formatConfigError = (at: ConfigErrorLocation, reason: string): string => {
  const where = `${at.file}:${at.line}`;
  const section = at.section === undefined ? '' : ` [${at.section}]`;
  const key = at.key === undefined ? '' : ` ${at.key}`;
  const value = at.value === undefined ? '' : ` = ${JSON.stringify(at.value)}`;
  const expected = at.expected === undefined ? '' : ` (expected ${at.expected})`;
  return `${where}:${section}${key}${value}: ${reason}${expected}`;
};
