// Python's `template % mapping` (PyUnicode_Format with a dict argument), which is how supervisord
// expands `%(name)s`: flags `-+ #0`, width, precision, one length modifier, and the conversions
// d i u o x X e E f F g G c r s a. Errors carry CPython's messages.
import { codePoints, pyRepr } from './pystr.js';

export type ExpansionValue = string | number;
export type Names = ReadonlyMap<string, ExpansionValue>;

/** KeyError (an unknown name) or the ValueError/TypeError of a malformed format. */
export class FormatError extends Error {
  readonly missingKey: string | null;
  constructor(message: string, missingKey: string | null = null) {
    super(message);
    this.name = 'FormatError';
    this.missingKey = missingKey;
  }
}

export interface Spec {
  readonly flags: string;
  readonly width: number | null;
  readonly precision: number | null;
  readonly conversion: string;
}

const pad = (body: string, spec: Spec, numeric: boolean): string => {
  const width = spec.width ?? 0;
  if (body.length >= width) return body;
  if (spec.flags.includes('-')) return body.padEnd(width);
  if (numeric && spec.flags.includes('0')) {
    const sign = /^([+\- ]?(?:0[oxX])?)/.exec(body)?.[1] ?? '';
    return sign + body.slice(sign.length).padStart(width - sign.length, '0');
  }
  return body.padStart(width);
};

const signOf = (negative: boolean, flags: string): string => {
  if (negative) return '-';
  if (flags.includes('+')) return '+';
  return flags.includes(' ') ? ' ' : '';
};

const formatInteger = (n: number, spec: Spec): string => {
  const radix = { o: 8, x: 16, X: 16 }[spec.conversion] ?? 10;
  let digits = Math.abs(Math.trunc(n)).toString(radix);
  if (spec.conversion === 'X') digits = digits.toUpperCase();
  if (spec.precision !== null) digits = digits.padStart(spec.precision, '0');
  const alt = spec.flags.includes('#') ? ({ o: '0o', x: '0x', X: '0X' }[spec.conversion] ?? '') : '';
  return pad(signOf(n < 0, spec.flags) + alt + digits, spec, true);
};

const exponential = (n: number, precision: number): string =>
  n.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');

const stripZeros = (s: string): string => {
  const [mantissa = '', exponent] = s.split('e');
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? m : `${m}e${exponent}`;
};

const formatGeneral = (n: number, spec: Spec): string => {
  const p = spec.precision === 0 ? 1 : (spec.precision ?? 6);
  const exp = Number(/e([+-]\d+)$/.exec(n.toExponential(p - 1))?.[1] ?? '0');
  const body = exp >= -4 && exp < p ? n.toFixed(Math.max(p - 1 - exp, 0)) : exponential(n, p - 1);
  return spec.flags.includes('#') ? body : stripZeros(body);
};

const formatFloat = (n: number, spec: Spec): string => {
  const lower = spec.conversion.toLowerCase();
  const precision = spec.precision ?? 6;
  let body: string;
  if (lower === 'f') body = Math.abs(n).toFixed(precision);
  else if (lower === 'e') body = exponential(Math.abs(n), precision);
  else body = formatGeneral(Math.abs(n), spec);
  if (spec.flags.includes('#') && !body.includes('.')) body = body.replace(/(?=e|$)/, '.');
  if (spec.conversion === spec.conversion.toUpperCase()) body = body.toUpperCase();
  return pad(signOf(n < 0, spec.flags) + body, spec, true);
};

/** CPython's TypeError for a conversion that cannot take a value of type `type`. */
export const conversionError = (conversion: string, type: string): FormatError => {
  if (conversion === 'c') return new FormatError('%c requires int or char');
  if ('diu'.includes(conversion))
    return new FormatError(`%${conversion} format: a real number is required, not ${type}`);
  if ('oxX'.includes(conversion))
    return new FormatError(`%${conversion} format: an integer is required, not ${type}`);
  return new FormatError(`must be real number, not ${type}`);
};

const formatChar = (value: ExpansionValue): string => {
  if (typeof value === 'string') {
    if (codePoints(value).length === 1) return value;
    throw conversionError('c', 'str');
  }
  if (value < 0 || value > 0x10ffff) throw new FormatError('%c arg not in range(0x110000)');
  return String.fromCodePoint(value);
};

const formatText = (value: ExpansionValue, spec: Spec): string => {
  let text = String(value);
  if (typeof value === 'string' && spec.conversion !== 's') text = pyRepr(value, spec.conversion === 'a');
  if (spec.conversion === 'c') text = formatChar(value);
  if (spec.precision !== null && spec.conversion !== 'c')
    text = codePoints(text).slice(0, spec.precision).join('');
  return pad(text, spec, false);
};

/** Formats one value under one conversion spec, as CPython's unicode_format_arg_format. */
export const formatValue = (value: ExpansionValue, spec: Spec): string => {
  const c = spec.conversion;
  if ('srac'.includes(c)) return formatText(value, spec);
  if (typeof value !== 'number') throw conversionError(c, 'str');
  return 'dioxXu'.includes(c) ? formatInteger(value, spec) : formatFloat(value, spec);
};
