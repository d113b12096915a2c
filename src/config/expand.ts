// supervisord's `%` expansions (options.py `expand`): a value is formatted with Python's `%`
// operator against a table of names, so `%%` is a literal `%`, `%(process_num)02d` pads, and an
// unknown name is fatal with the message below.
import { FormatError, formatValue, type ExpansionValue, type Names, type Spec } from './pyformat.js';
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

const readNumber = (s: Scan, named: boolean): number | null => {
  if (peek(s) === '*') {
    throw new FormatError(named ? 'not enough arguments for format string' : '* wants int');
  }
  let digits = '';
  for (let c = peek(s); c !== undefined && c >= '0' && c <= '9'; c = peek(s)) {
    digits += c;
    s.i++;
  }
  return digits === '' ? null : Number(digits);
};

const readSpec = (s: Scan, named: boolean): Spec => {
  let flags = '';
  for (let c = peek(s); c !== undefined && '-+ #0'.includes(c); c = peek(s)) {
    flags += c;
    s.i++;
  }
  const width = readNumber(s, named);
  let precision: number | null = null;
  if (peek(s) === '.') {
    s.i++;
    precision = readNumber(s, named) ?? 0;
  }
  const modifier = peek(s);
  if (modifier !== undefined && 'hlL'.includes(modifier)) s.i++;
  const conversion = peek(s);
  if (conversion === undefined) throw new FormatError('incomplete format');
  if (!CONVERSIONS.includes(conversion)) {
    const code = conversion.codePointAt(0) ?? 0;
    throw new FormatError(
      `unsupported format character ${pyRepr(conversion)} (0x${code.toString(16)}) at index ${s.i}`,
    );
  }
  s.i++;
  return { flags, width, precision, conversion };
};

const lookupName = (names: Names, key: string): ExpansionValue => {
  const value = names.get(key);
  if (value === undefined) throw new FormatError(pyRepr(key), key);
  return value;
};

// Python would format the whole expansion table into an unnamed `%s` (so `date +%s` silently
// becomes `date +{'here': ...}`); tend refuses instead of building such a command line.
const unnamed = (spec: Spec): never => {
  const c = spec.conversion;
  if ('sra'.includes(c)) {
    throw new FormatError(
      `%${c} without a (name) would insert the whole expansion table; write %%${c} for a literal %${c}`,
    );
  }
  throw new FormatError(`%${c} format: a real number is required, not dict`);
};

/** `template % names` with Python's semantics; throws FormatError with CPython's message. */
export const pyFormat = (template: string, names: Names): string => {
  const s: Scan = { chars: codePoints(template), i: 0 };
  let out = '';
  while (s.i < s.chars.length) {
    const c = s.chars[s.i++] ?? '';
    if (c !== '%') {
      out += c;
      continue;
    }
    if (s.i >= s.chars.length) throw new FormatError('incomplete format');
    if (peek(s) === '%') {
      out += '%';
      s.i++;
      continue;
    }
    const value = peek(s) === '(' ? lookupName(names, readKey(s)) : undefined;
    const spec = readSpec(s, value !== undefined);
    out += value === undefined ? unnamed(spec) : formatValue(value, spec);
  }
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
