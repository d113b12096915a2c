// supervisord's `%` expansions (options.py `expand`): a value is formatted with Python's `%`
// operator against a table of names, so `%%` is a literal `%`, `%(process_num)02d` pads, and an
// unknown name is fatal with the message below.
import {
  conversionError,
  FormatError,
  formatValue,
  type ExpansionValue,
  type Names,
  type Spec,
} from './pyformat.js';
import { codePoints, pyCompare, pyRepr } from './pystr.js';

export { FormatError, type ExpansionValue, type Names } from './pyformat.js';

const CONVERSIONS = 'diouxXeEfFgGcrsa';

interface Scan {
  readonly chars: readonly string[];
  i: number;
}

const peek = (s: Scan): string | undefined => s.chars[s.i];

const readKey = (s: Scan): string => {
  s.i++;
  const start = s.i;
  let depth = 1;
  while (depth > 0 && s.i < s.chars.length) {
    const c = s.chars[s.i];
    if (c === '(') depth++;
    if (c === ')') depth--;
    s.i++;
  }
  if (depth > 0) throw new FormatError('incomplete format key');
  return s.chars.slice(start, s.i - 1).join('');
};

// CPython's argument cursor for a mapping: it starts on the mapping itself, a `(name)` moves it
// to that value, and `*` and the conversion each take the current argument once. So `%s` alone
// gets the whole mapping, and `%(n)*d` or a second unnamed spec runs out of arguments.
const TABLE = Symbol('expansion table');

interface Args {
  current: ExpansionValue | typeof TABLE;
  used: boolean;
}

const nextArg = (args: Args): ExpansionValue | typeof TABLE => {
  if (args.used) throw new FormatError('not enough arguments for format string');
  args.used = true;
  return args.current;
};

const readNumber = (s: Scan, args: Args): number | null => {
  if (peek(s) === '*') {
    s.i++;
    const value = nextArg(args);
    if (typeof value !== 'number') throw new FormatError('* wants int');
    return value;
  }
  let digits = '';
  for (let c = peek(s); c !== undefined && c >= '0' && c <= '9'; c = peek(s)) {
    digits += c;
    s.i++;
  }
  return digits === '' ? null : Number(digits);
};

const readSpec = (s: Scan, args: Args): Spec => {
  let flags = '';
  for (let c = peek(s); c !== undefined && '-+ #0'.includes(c); c = peek(s)) {
    flags += c;
    s.i++;
  }
  const width = readNumber(s, args);
  let precision: number | null = null;
  if (peek(s) === '.') {
    s.i++;
    precision = readNumber(s, args) ?? 0;
  }
  const modifier = peek(s);
  if (modifier !== undefined && 'hlL'.includes(modifier)) s.i++;
  const conversion = peek(s);
  if (conversion === undefined) throw new FormatError('incomplete format');
  return { flags, width, precision, conversion };
};

const lookupName = (names: Names, key: string): ExpansionValue => {
  const value = names.get(key);
  if (value === undefined) throw new FormatError(pyRepr(key), key);
  return value;
};

// Python would format the whole expansion table into an unnamed `%s` (so `date +%s` silently
// becomes `date +{'here': ...}`); tend refuses instead of building such a command line.
const tableError = (conversion: string): FormatError =>
  new FormatError(
    `%${conversion} without a (name) would insert the whole expansion table; write %%${conversion} for a literal %${conversion}`,
  );

/** One `%` spec at s.i (after the `%`): parse, take its argument, then format, in CPython's order. */
const formatSpec = (s: Scan, names: Names, args: Args): { text: string; table: string | null } => {
  if (peek(s) === '(') {
    args.current = lookupName(names, readKey(s));
    args.used = false;
  }
  const spec = readSpec(s, args);
  const index = s.i++;
  const value = nextArg(args);
  const c = spec.conversion;
  if (!CONVERSIONS.includes(c)) {
    const code = c.codePointAt(0) ?? 0;
    throw new FormatError(
      `unsupported format character ${pyRepr(c)} (0x${code.toString(16)}) at index ${index}`,
    );
  }
  if (value !== TABLE) return { text: formatValue(value, spec), table: null };
  if ('sra'.includes(c)) return { text: '', table: spec.precision === 0 ? null : c };
  throw conversionError(c, 'dict');
};

/** `template % names` with Python's semantics; throws FormatError with CPython's message. */
export const pyFormat = (template: string, names: Names): string => {
  const s: Scan = { chars: codePoints(template), i: 0 };
  const args: Args = { current: TABLE, used: false };
  let out = '';
  let table: string | null = null;
  while (s.i < s.chars.length) {
    const c = s.chars[s.i++] ?? '';
    if (c !== '%') {
      out += c;
    } else if (s.i >= s.chars.length) {
      throw new FormatError('incomplete format');
    } else if (peek(s) === '%') {
      out += '%';
      s.i++;
    } else {
      const formatted = formatSpec(s, names, args);
      out += formatted.text;
      table ??= formatted.table;
    }
  }
  if (table !== null) throw tableError(table);
  return out;
};

/** The names available for a value, sorted as supervisord lists them in its error. */
export const availableNames = (names: Names): string[] => [...names.keys()].sort(pyCompare);

/**
 * options.py `expand(s, expansions, name)`: `label` is what supervisord calls the value
 * (`program:web.command`, `environment`, `stdout_logfile`). Throws FormatError carrying
 * supervisord's complete message.
 */
export const expand = (template: string, names: Names, label: string): string => {
  try {
    return pyFormat(template, names);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    const head = `Format string ${pyRepr(template)} for ${pyRepr(label)}`;
    if (error.missingKey !== null) {
      const available = availableNames(names).join(', ');
      throw new FormatError(
        `${head} contains names (${error.message}) which cannot be expanded. Available names: ${available}`,
        error.missingKey,
      );
    }
    throw new FormatError(`${head} is badly formatted: ${error.message}`);
  }
};
