// A port of Python's shlex.shlex tokenizer, in the two modes supervisord uses: POSIX
// `shlex.split` for `command` (process.py) and the non-POSIX lexer behind `environment=`
// (datatypes.dict_of_key_value_pairs), whose quirks are part of the dialect.
import { codePoints, PyValueError } from './pystr.js';

interface LexerOptions {
  readonly posix: boolean;
  readonly whitespaceSplit: boolean;
  readonly commenters: string;
  readonly wordchars: string;
}

const WORDCHARS = 'abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
const POSIX_WORDCHARS = 'ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ';
const WHITESPACE = ' \t\r\n';
const QUOTES = '\'"';
const ESCAPE = '\\';

interface Lexer {
  readonly o: LexerOptions;
  readonly chars: readonly string[];
  pos: number;
  state: string | null;
  token: string;
  quoted: boolean;
  escapedState: string;
  readonly pushback: string[];
}

const nextChar = (lx: Lexer): string => lx.chars[lx.pos++] ?? '';

const skipLine = (lx: Lexer): void => {
  while (lx.pos < lx.chars.length && lx.chars[lx.pos] !== '\n') lx.pos++;
  if (lx.pos < lx.chars.length) lx.pos++;
};

const emits = (lx: Lexer): boolean => lx.token !== '' || (lx.o.posix && lx.quoted);

/** One step in the ' ' (between tokens) state; returns true when a token is complete. */
const stepSpace = (lx: Lexer, c: string): boolean => {
  const { o } = lx;
  if (c === '') {
    lx.state = null;
    return true;
  }
  if (WHITESPACE.includes(c)) return emits(lx);
  if (o.commenters.includes(c)) {
    skipLine(lx);
  } else if (o.posix && c === ESCAPE) {
    lx.escapedState = 'a';
    lx.state = c;
  } else if (o.wordchars.includes(c)) {
    lx.token = c;
    lx.state = 'a';
  } else if (QUOTES.includes(c)) {
    if (!o.posix) lx.token = c;
    lx.state = c;
  } else if (o.whitespaceSplit) {
    lx.token = c;
    lx.state = 'a';
  } else {
    lx.token = c;
    return emits(lx);
  }
  return false;
};

const stepQuoted = (lx: Lexer, c: string, quote: string): boolean => {
  lx.quoted = true;
  if (c === '') throw new PyValueError('No closing quotation');
  if (c === quote) {
    if (!lx.o.posix) {
      lx.token += c;
      lx.state = ' ';
      return true;
    }
    lx.state = 'a';
  } else if (lx.o.posix && c === ESCAPE && quote === '"') {
    lx.escapedState = quote;
    lx.state = c;
  } else {
    lx.token += c;
  }
  return false;
};

const stepEscaped = (lx: Lexer, c: string): boolean => {
  if (c === '') throw new PyValueError('No escaped character');
  // Inside quotes POSIX shells only let the quote itself and the backslash be escaped.
  if (QUOTES.includes(lx.escapedState) && c !== ESCAPE && c !== lx.escapedState) lx.token += ESCAPE;
  lx.token += c;
  lx.state = lx.escapedState;
  return false;
};

const stepWord = (lx: Lexer, c: string): boolean => {
  const { o } = lx;
  if (c === '') {
    lx.state = null;
    return true;
  }
  if (WHITESPACE.includes(c)) {
    lx.state = ' ';
    return emits(lx);
  }
  if (o.commenters.includes(c)) {
    skipLine(lx);
    if (!o.posix) return false;
    lx.state = ' ';
    return emits(lx);
  }
  if (o.posix && QUOTES.includes(c)) {
    lx.state = c;
  } else if (o.posix && c === ESCAPE) {
    lx.escapedState = 'a';
    lx.state = c;
  } else if (o.wordchars.includes(c) || QUOTES.includes(c) || o.whitespaceSplit) {
    lx.token += c;
  } else {
    lx.pushback.push(c);
    lx.state = ' ';
    return emits(lx);
  }
  return false;
};

const step = (lx: Lexer, c: string): boolean => {
  const state = lx.state ?? '';
  if (state === ' ') return stepSpace(lx, c);
  if (QUOTES.includes(state)) return stepQuoted(lx, c, state);
  if (state === ESCAPE) return stepEscaped(lx, c);
  return stepWord(lx, c);
};

/** shlex.read_token: returns the next raw token, or null at end of input. */
const startToken = (lx: Lexer): void => {
  lx.quoted = false;
  lx.escapedState = ' ';
};

const readToken = (lx: Lexer): string | null => {
  startToken(lx);
  while (lx.state !== null) {
    if (step(lx, nextChar(lx))) break;
  }
  const result = lx.token;
  lx.token = '';
  if (lx.o.posix ? !lx.quoted && result === '' : result === '') return null;
  return result;
};

const tokenize = (input: string, o: LexerOptions): string[] => {
  const lx: Lexer = {
    o,
    chars: codePoints(input),
    pos: 0,
    state: ' ',
    token: '',
    quoted: false,
    escapedState: ' ',
    pushback: [],
  };
  const tokens: string[] = [];
  for (;;) {
    const token = lx.pushback.shift() ?? readToken(lx);
    if (token === null) return tokens;
    tokens.push(token);
  }
};

/**
 * POSIX shlex.split, as supervisord splits `command` at spawn time. Throws PyValueError with
 * shlex's message (`No closing quotation`, `No escaped character`) on unbalanced input.
 */
export const shlexSplit = (command: string): string[] =>
  tokenize(command, {
    posix: true,
    whitespaceSplit: true,
    commenters: '',
    wordchars: WORDCHARS + POSIX_WORDCHARS,
  });

/** The non-POSIX shlex token stream used by dict_of_key_value_pairs (`#` comments included). */
export const envTokens = (value: string): string[] =>
  tokenize(value, {
    posix: false,
    whitespaceSplit: false,
    commenters: '#',
    wordchars: `${WORDCHARS}/.+-():`,
  });
