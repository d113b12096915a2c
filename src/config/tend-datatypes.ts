// Converters for the keys tend adds to [program:x] (readiness, health, order, crash loops).
// supervisord ignores these keys, so they follow tend's rules rather than datatypes.py: seconds may
// have decimals, and every error says what would have been accepted.
import type { Datatype } from './datatypes.js';
import { DURATION_FORMS, parseDuration } from '../protocol/duration.js';
import { PyValueError, pyRepr, pyStrip } from './pystr.js';
import { shlexSplit } from './shlex.js';
import { cronExpression, timeZoneName } from './cron.js';
import type {
  AlertTarget,
  BackoffConfig,
  HeaderExpectation,
  LogFormat,
  ProbeSpec,
  ReadySpec,
  RestartStrategy,
  StatusRange,
} from './types.js';

const type = <T>(name: string, expected: string, convert: (raw: string) => T): Datatype<T> => ({
  name,
  expected,
  convert,
});

// 24 days: the longest delay a timer can hold in one piece (2^31 - 1 ms). A longer timeout or
// interval is almost certainly a typo for something shorter, so it is refused rather than chained.
export const MAX_SECONDS = 2_073_600;

const toDuration = (raw: string, max: number): number => {
  const value = parseDuration(pyStrip(raw));
  if (value === null || !Number.isFinite(value)) throw new PyValueError(`not a duration: ${pyRepr(raw)}`);
  if (value > max) throw new PyValueError(`more than ${max} seconds (${max / 86_400} days): ${pyRepr(raw)}`);
  return value;
};

/** A duration a timer waits for (timeouts, intervals), in seconds: at most MAX_SECONDS. */
export const seconds = type('duration', `${DURATION_FORMS}; at most 24 days`, (raw) =>
  toDuration(raw, MAX_SECONDS),
);

// A log file's age is compared at each write, never armed as a timer: a year is allowed.
const MAX_AGE_SECONDS = 366 * 86_400;

/** An age (stdout_logfile_maxage), in seconds; 0 turns it off. */
export const age = type('duration', `${DURATION_FORMS}; 0 is off`, (raw) => toDuration(raw, MAX_AGE_SECONDS));

const toCount = (raw: string): number => {
  const text = pyStrip(raw);
  if (!/^\d+$/.test(text)) throw new PyValueError(`not a count: ${pyRepr(raw)}`);
  return Number(text);
};

export const count = type('count', 'an integer ≥ 0', toCount);

export const positiveCount = type('count', 'an integer ≥ 1', (raw) => {
  const value = toCount(raw);
  if (value < 1) throw new PyValueError(`must be at least 1: ${pyRepr(raw)}`);
  return value;
});

const hostPort = (rest: string, raw: string): { host: string; port: number } => {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(rest);
  const plain = /^([^:[\]]*):(\d+)$/.exec(rest);
  const bare = /^(\d+)$/.exec(rest);
  const host = bracketed?.[1] ?? (plain === null ? '127.0.0.1' : plain[1] || '127.0.0.1');
  const port = Number(bracketed?.[2] ?? plain?.[2] ?? bare?.[1] ?? NaN);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PyValueError(`not a tcp:HOST:PORT address: ${pyRepr(raw)}`);
  }
  return { host, port };
};

const httpUrl = (text: string, raw: string): string => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PyValueError(`not a valid URL: ${pyRepr(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PyValueError(`only http:// and https:// URLs can be probed: ${pyRepr(raw)}`);
  }
  return url.href;
};

const execArgv = (command: string, raw: string): string[] => {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch {
    throw new PyValueError(`cannot split the command of ${pyRepr(raw)}`);
  }
  if (argv.length === 0) throw new PyValueError(`exec: needs a command: ${pyRepr(raw)}`);
  return argv;
};

const parseProbe = (raw: string): ProbeSpec | null => {
  const text = pyStrip(raw);
  const lower = text.toLowerCase();
  if (lower.startsWith('tcp:')) return { kind: 'tcp', ...hostPort(text.slice(4), raw), text };
  if (lower.startsWith('http://') || lower.startsWith('https://'))
    return { kind: 'http', url: httpUrl(text, raw), text };
  if (lower.startsWith('exec:')) return { kind: 'exec', argv: execArgv(text.slice(5), raw), text };
  return null;
};

const PROBE_FORMS = 'tcp:HOST:PORT, http(s)://… or exec:COMMAND';

export const probe = type<ProbeSpec>('probe', PROBE_FORMS, (raw) => {
  const found = parseProbe(raw);
  if (found === null) throw new PyValueError(`not a probe: ${pyRepr(raw)}`);
  return found;
});

export const ready = type<ReadySpec>('readiness', `startsecs, notify, ${PROBE_FORMS}`, (raw) => {
  const text = pyStrip(raw);
  const lower = text.toLowerCase();
  if (lower === 'startsecs' || lower === 'notify') return { kind: lower, text: lower };
  const found = parseProbe(raw);
  if (found === null) throw new PyValueError(`not a readiness check: ${pyRepr(raw)}`);
  return found;
});

const statusCode = (part: string, raw: string): number => {
  const code = Number(part);
  if (!/^\d{3}$/.test(part) || code < 100 || code > 599) {
    throw new PyValueError(`not an HTTP status code: ${pyRepr(part)} in ${pyRepr(raw)}`);
  }
  return code;
};

/** `200`, `200,204`, `200-299`, `2xx`, or a mix separated by commas. */
export const statusList = type<StatusRange[]>(
  'status list',
  'HTTP status codes, ranges (200-299) or classes (2xx), comma-separated',
  (raw) =>
    raw.split(',').map((item) => {
      const part = pyStrip(item).toLowerCase();
      const klass = /^([1-5])xx$/.exec(part);
      if (klass !== null) return { from: Number(klass[1]) * 100, to: Number(klass[1]) * 100 + 99 };
      const dash = part.indexOf('-');
      if (dash === -1) {
        const code = statusCode(part, raw);
        return { from: code, to: code };
      }
      const from = statusCode(pyStrip(part.slice(0, dash)), raw);
      const to = statusCode(pyStrip(part.slice(dash + 1)), raw);
      if (to < from) throw new PyValueError(`empty status range ${pyRepr(part)}`);
      return { from, to };
    }),
);

export const headerExpectation = type<HeaderExpectation>(
  'header',
  'Header-Name: text the value contains',
  (raw) => {
    const colon = raw.indexOf(':');
    const name = pyStrip(colon === -1 ? raw : raw.slice(0, colon)).toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw new PyValueError(`not a header name: ${pyRepr(raw)}`);
    }
    return { name, contains: colon === -1 ? '' : pyStrip(raw.slice(colon + 1)) };
  },
);

export const backoffKind = type<BackoffConfig['kind']>('backoff', 'linear or exponential', (raw) => {
  const lower = pyStrip(raw).toLowerCase();
  if (lower === 'linear' || lower === 'exponential') return lower;
  throw new PyValueError(`not a backoff curve: ${pyRepr(raw)}`);
});

/** [supervisord] exit_on: the states that end the daemon when a program enters them. */
export const restartStrategy = type<RestartStrategy>('restart strategy', 'stop-start or rolling', (raw) => {
  const text = pyStrip(raw).toLowerCase();
  if (text !== 'stop-start' && text !== 'rolling')
    throw new PyValueError(`not a restart strategy: ${pyRepr(raw)}`);
  return text;
});

export const exitOn = type<'FATAL'[]>('states', 'FATAL, or empty for never', (raw) => {
  const states = raw.split(',').map((s) => pyStrip(s).toUpperCase());
  if (states.length === 1 && states[0] === '') return [];
  if (states.some((s) => s !== 'FATAL'))
    throw new PyValueError(`not a state that can end the daemon: ${pyRepr(raw)}`);
  return ['FATAL'];
});

/** Names of [program:x] or [group:x] sections; checked against the config after all are read. */
export const nameList = type<string[]>('names', 'program or group names, comma-separated', (raw) => {
  const names = raw.split(',').map(pyStrip);
  if (names.length === 1 && names[0] === '') return [];
  if (names.some((n) => n === '' || /[\s:/]/.test(n))) {
    throw new PyValueError(`not a list of program or group names: ${pyRepr(raw)}`);
  }
  return names;
});

export const cron = type<string>(
  'cron',
  'a cron expression: 5 fields (minute hour day month weekday) or 6 with seconds first, or @daily, @hourly…',
  cronExpression,
);

export const timeZone = type<string>(
  'time zone',
  'an IANA time zone name such as UTC or Europe/Berlin',
  timeZoneName,
);
/** [alert:x] url: where the alert goes, a webhook (http/https) or a mail server (smtp/smtps). */
export const alertUrl = type<AlertTarget>(
  'url',
  'http(s)://… for a webhook, smtp://HOST[:PORT] or smtps://HOST[:PORT] for mail',
  (raw) => {
    const text = pyStrip(raw);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new PyValueError(`not a valid URL: ${pyRepr(raw)}`);
    }
    if (!['http:', 'https:', 'smtp:', 'smtps:'].includes(url.protocol)) {
      throw new PyValueError(`an alert goes to http(s):// or smtp(s):// only, not ${url.protocol}//`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new PyValueError(
        'credentials do not belong in the url: use smtp_user and smtp_password (mail) or a token in the path (webhook)',
      );
    }
    if (!url.protocol.startsWith('smtp')) return { kind: 'webhook', url: url.href };
    if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '') {
      throw new PyValueError(`a mail server url has no path: ${pyRepr(raw)}`);
    }
    const secure = url.protocol === 'smtps:';
    const port = url.port === '' ? (secure ? 465 : 25) : Number(url.port);
    return { kind: 'mail', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, secure };
  },
);

export const alertFormat = type<'json' | 'slack'>('format', 'json or slack', (raw) => {
  const lower = pyStrip(raw).toLowerCase();
  if (lower === 'json' || lower === 'slack') return lower;
  throw new PyValueError(`not an alert format: ${pyRepr(raw)}`);
});

export const smtpTls = type<'auto' | 'required' | 'none'>(
  'smtp tls',
  'auto (STARTTLS when offered), required or none',
  (raw) => {
    const lower = pyStrip(raw).toLowerCase();
    if (lower === 'auto' || lower === 'required' || lower === 'none') return lower;
    throw new PyValueError(`not an smtp_tls choice: ${pyRepr(raw)}`);
  },
);

// Deliberately plain: one local part, one domain with a dot or an IP literal, optionally written
// as `Name <address>`. Enough to catch a typo or a missing @; the mail server judges the rest.
const ADDRESS = /^[^\s@<>",;]+@(?:[^\s@<>",;.]+(?:\.[^\s@<>",;.]+)+|\[[0-9a-fA-F.:]+\]|localhost)$/;

const address = (item: string, raw: string): string => {
  const text = pyStrip(item);
  const named = /^([^<>]*)<([^<>]+)>$/.exec(text);
  const bare = named === null ? text : pyStrip(named[2] ?? '');
  if (!ADDRESS.test(bare)) throw new PyValueError(`not an email address: ${pyRepr(text)} in ${pyRepr(raw)}`);
  return text;
};

export const emailAddress = type<string>('address', 'an email address, or Name <address>', (raw) =>
  address(raw, raw),
);

export const emailList = type<string[]>('addresses', 'email addresses, comma-separated', (raw) => {
  const items = raw.split(',').filter((s) => pyStrip(s) !== '');
  if (items.length === 0) throw new PyValueError(`no email address in ${pyRepr(raw)}`);
  return items.map((item) => address(item, raw));
});

/** Program or group names, `*`/`?`/`[…]` allowed; matched against group, program and namespec. */
export const globList = type<string[]>('globs', 'program or group names or globs, comma-separated', (raw) => {
  const names = raw.split(',').map(pyStrip);
  if (names.length === 1 && names[0] === '') return [];
  if (names.some((n) => n === '' || /[\s/]/.test(n))) {
    throw new PyValueError(`not a list of program or group globs: ${pyRepr(raw)}`);
  }
  return names;
});

/** log_format: what a line of a child's log file is. */
export const logFormat = type<LogFormat>('log format', 'raw or json', (raw) => {
  const lower = pyStrip(raw).toLowerCase();
  if (lower === 'raw' || lower === 'json') return lower;
  throw new PyValueError(`not a log format: ${pyRepr(raw)}`);
});
