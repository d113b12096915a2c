// The value converters of supervisord's datatypes.py, one small function each. A converter takes
// the expanded string and returns the canonical value or throws PyValueError with supervisord's
// message; the caller adds file, line, section and key.
import { envTokens } from './shlex.js';
import { existingDirectory, existingDirpath, type PathEnv } from './paths.js';
import { PyValueError, pyInt, pyRepr, pyStrip } from './pystr.js';
import { signalName } from './signals.js';
import { resolveOwner, resolveUser } from './users.js';
import type { AutoRestart, LogLevel, LogTarget, SignalName, UserSpec } from './types.js';

/** A named converter plus the phrase used for "expected ..." in errors and docs. */
export interface Datatype<T> {
  readonly name: string;
  readonly expected: string;
  readonly convert: (raw: string, at: PathEnv) => T;
  /** The value may be a secret (a mistyped password): errors about it never repeat it. */
  readonly secret?: true;
}

const type = <T>(name: string, expected: string, convert: (raw: string, at: PathEnv) => T): Datatype<T> => ({
  name,
  expected,
  convert,
});

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

export const text = type('string', 'any text', (raw) => raw);

export const integer = type('integer', 'an integer', (raw) => pyInt(raw));

export const boolean = type('boolean', 'true/false, yes/no, on/off or 1/0', (raw): boolean => {
  const lower = raw.toLowerCase();
  if (TRUTHY.includes(lower)) return true;
  if (FALSY.includes(lower)) return false;
  throw new PyValueError(`not a valid boolean value: ${pyRepr(raw)}`);
});

const SIZE_SUFFIXES: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export const byteSize = type('byte size', 'an integer with an optional KB, MB or GB suffix', (raw) => {
  const lower = raw.toLowerCase();
  const multiplier = SIZE_SUFFIXES[lower.slice(-2)];
  if (multiplier !== undefined) return pyInt(lower.slice(0, -2)) * multiplier;
  return pyInt(lower);
});

export const octal = type('octal', 'an octal number such as 022 or 0o22', (raw) => {
  try {
    return pyInt(raw, 8);
  } catch {
    throw new PyValueError(`${raw} can not be converted to an octal type`);
  }
});

export const signal = type<SignalName>('signal', 'a signal name (TERM, SIGHUP, int) or number', (raw) =>
  signalName(raw),
);

export const autoRestart = type<AutoRestart>('autorestart', 'true, false or unexpected', (raw) => {
  const lower = raw.toLowerCase();
  if (TRUTHY.includes(lower)) return true;
  if (FALSY.includes(lower)) return false;
  if (lower === 'unexpected') return 'unexpected';
  throw new PyValueError(`invalid 'autorestart' value ${pyRepr(lower)}`);
});

export const exitCodes = type('exit codes', 'a comma-separated list of integers 0-255', (raw) => {
  if (raw === '') return [];
  try {
    return raw.split(',').map((part) => {
      const code = pyInt(part);
      if (code < 0 || code > 255) throw new PyValueError(`Invalid exit code "${code}"`);
      return code;
    });
  } catch {
    throw new PyValueError(`not a valid list of exit codes: ${pyRepr(raw)}`);
  }
});

/** datatypes.list_of_strings: comma-split and stripped; empty input is an empty list. */
export const listOfStrings = type('list', 'a comma-separated list', (raw) =>
  raw === '' ? [] : raw.split(',').map(pyStrip),
);

/** datatypes.process_or_group_name. */
export const name = type('name', 'a name without spaces, colons or slashes', (raw) => {
  const stripped = pyStrip(raw);
  for (const ch of ' :/') {
    if (stripped.includes(ch)) {
      throw new PyValueError(`Invalid name: ${pyRepr(raw)} because of character: ${pyRepr(ch)}`);
    }
  }
  return stripped;
});

const LEVELS: readonly LogLevel[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

export const logLevel = type('log level', LEVELS.join(', '), (raw): LogLevel => {
  const found = LEVELS.find((level) => level === raw.toLowerCase());
  if (found === undefined) throw new PyValueError(`bad logging level name ${pyRepr(raw)}`);
  return found;
});

export const user = type<UserSpec>('user', 'a user name or uid that exists', (raw, at) =>
  resolveUser(at.users, raw),
);

export const owner = type('owner', 'user or user:group', (raw, at) => resolveOwner(at.users, raw));

export const directory = type('directory', 'an existing directory', existingDirectory);

export const dirpath = type('path', 'a path whose directory exists', existingDirpath);

/** datatypes.logfile_name: AUTO, NONE/OFF, syslog (deprecated) or a path in an existing dir. */
export const logfile = type<LogTarget | 'syslog'>(
  'log file',
  'AUTO, NONE, syslog or a path whose directory exists',
  (raw, at) => {
    const lower = raw.toLowerCase();
    if (lower === 'none' || lower === 'off') return { kind: 'none' };
    if (lower === 'auto') return { kind: 'auto' };
    if (lower === 'syslog') return 'syslog';
    return { kind: 'file', path: existingDirpath(raw, at) };
  },
);

/**
 * datatypes.dict_of_key_value_pairs: `K=V,K2=V2` through a non-POSIX shlex, which means `#`
 * starts a comment, quotes are stripped from values only, and the separator token between pairs
 * is skipped without being checked.
 */
export const keyValuePairs = type('environment', 'KEY=value pairs separated by commas', (raw) => {
  const tokens = envTokens(raw);
  const pairs = new Map<string, string>();
  for (let i = 0; i < tokens.length; i += 4) {
    const [key, eq, value] = tokens.slice(i, i + 3);
    if (key === undefined || eq !== '=' || value === undefined) {
      throw new PyValueError(`Unexpected end of key/value pairs in value '${raw}'`);
    }
    pairs.set(key, value.replace(/^['"]+|['"]+$/g, ''));
  }
  // fromEntries defines own properties, so a key such as __proto__ stays an ordinary key.
  return Object.fromEntries(pairs);
});

const portNumber = (raw: string): number => {
  const port = pyInt(raw);
  if (port < 1) throw new PyValueError(`${port} is below lower bound (1)`);
  if (port > 0xffff) throw new PyValueError(`${port} is above upper bound (65535)`);
  return port;
};

/** datatypes.inet_address: `host:port`, `:port`, `*:port` or `port`; '' means every interface. */
export const inetAddress = type('address', 'host:port, *:port or port', (raw) => {
  let host = '';
  let port: number;
  const colon = raw.lastIndexOf(':');
  if (colon !== -1) {
    const tail = raw.slice(colon + 1);
    if (tail === '') throw new PyValueError(`no port number specified in ${pyRepr(tail)}`);
    port = portNumber(tail);
    host = raw.slice(0, colon).toLowerCase();
  } else {
    try {
      port = portNumber(raw);
    } catch {
      throw new PyValueError(`not a valid port number: ${pyRepr(raw)} `);
    }
  }
  return { host: host === '*' ? '' : host, port };
});
