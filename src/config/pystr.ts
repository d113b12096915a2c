// Python's idea of whitespace, integers and repr(). supervisord's dialect is defined by what
// CPython's str methods accept, and JavaScript's trim()/parseInt() disagree at the edges (\x1c-\x1f
// are spaces to Python, U+FEFF is not; int() takes `1_000` and rejects `12abc`).

const PY_SPACES = new Set(
  [
    '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680',
    '\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a',
    '\u2028\u2029\u202f\u205f\u3000',
  ].join(''),
);

/** The string as Python indexes it: by code point, not UTF-16 unit. */
export const codePoints = (s: string): string[] => Array.from(s);

export const pyIsSpace = (ch: string | undefined): boolean => ch !== undefined && PY_SPACES.has(ch);

export const pyLstrip = (s: string): string => {
  let i = 0;
  while (i < s.length && pyIsSpace(s[i])) i++;
  return s.slice(i);
};

export const pyRstrip = (s: string): string => {
  let j = s.length;
  while (j > 0 && pyIsSpace(s[j - 1])) j--;
  return s.slice(0, j);
};

export const pyStrip = (s: string): string => pyRstrip(pyLstrip(s));

/** str.split() with no argument: runs of whitespace separate, empty parts are dropped. */
export const pySplitWhitespace = (s: string): string[] => {
  const parts: string[] = [];
  let current = '';
  for (const ch of s) {
    if (pyIsSpace(ch)) {
      if (current !== '') parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current !== '') parts.push(current);
  return parts;
};

const escapeChar = (ch: string, asciiOnly: boolean): string => {
  const named: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  const simple = named[ch];
  if (simple !== undefined) return simple;
  const code = ch.codePointAt(0) ?? 0;
  const printable = code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0xa0) && code !== 0xad;
  if (printable && (!asciiOnly || code < 0x80)) return ch;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
};

/** repr() of a str (ascii() when asciiOnly), used to quote values in supervisord's messages. */
export const pyRepr = (s: string, asciiOnly = false): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of s) body += ch === quote ? `\\${ch}` : escapeChar(ch, asciiOnly);
  return `${quote}${body}${quote}`;
};

export class PyValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PyValueError';
  }
}

const DIGITS: Record<number, RegExp> = {
  8: /^[0-7](?:_?[0-7])*$/,
  10: /^[0-9](?:_?[0-9])*$/,
};

/**
 * int(s) / int(s, 8): surrounding whitespace, a sign, `_` between digits, and for base 8 an
 * optional `0o` prefix (which may be followed by `_`). Throws with Python's own message.
 */
export const pyInt = (s: string, base: 8 | 10 = 10): number => {
  const fail = (): never => {
    throw new PyValueError(`invalid literal for int() with base ${base}: ${pyRepr(s)}`);
  };
  let body = pyStrip(s);
  let sign = 1;
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body.startsWith('-') ? -1 : 1;
    body = body.slice(1);
  }
  if (base === 8 && /^0[oO]/.test(body)) body = body.slice(2).replace(/^_/, '');
  if (!(DIGITS[base] ?? fail()).test(body)) fail();
  const value = parseInt(body.replaceAll('_', ''), base);
  if (!Number.isSafeInteger(value)) throw new PyValueError(`integer ${pyRepr(pyStrip(s))} is too large`);
  return sign * value || 0;
};

/** Python's `<` on str compares code points; JavaScript's compares UTF-16 units. */
export const pyCompare = (a: string, b: string): number => {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true || y.done === true) return (x.done === true ? 0 : 1) - (y.done === true ? 0 : 1);
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
};
