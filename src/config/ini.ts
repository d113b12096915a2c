// The INI reader: a line-for-line port of Python's RawConfigParser._read as supervisord configures
// it (inline_comment_prefixes=(';','#'), strict=False, empty_lines_in_values=True), keeping the
// file and line of every value so errors and warnings can point at them.
import { ConfigError } from './errors.js';
import { pyIsSpace, pyRstrip, pyStrip } from './pystr.js';
import { recover, type ErrorSink } from './sink.js';

export interface IniValue {
  value: string;
  readonly file: string;
  readonly line: number;
  /** Copied into the section from [DEFAULT] (by `%(here)s` handling), not written there. */
  readonly inherited: boolean;
}

export interface IniSection {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly values: Map<string, IniValue>;
}

/** The parser's state after one or more files: like RawConfigParser, later files merge in. */
export interface IniStore {
  readonly defaults: Map<string, IniValue>;
  readonly sections: Map<string, IniSection>;
}

export const DEFAULT_SECTION = 'DEFAULT';

export const createStore = (): IniStore => ({ defaults: new Map(), sections: new Map() });

// configparser scans each prefix's successive occurrences in lock-step and stops at the first
// round in which any of them follows whitespace, so `a;b;c ;d #e` is cut at `#`, not at ` ;`.
export const commentStart = (line: string): number | null => {
  let start = Infinity;
  let prefixes = new Map<string, number>([
    [';', -1],
    ['#', -1],
  ]);
  while (start === Infinity && prefixes.size > 0) {
    const next = new Map<string, number>();
    for (const [prefix, from] of prefixes) {
      const index = line.indexOf(prefix, from + 1);
      if (index === -1) continue;
      next.set(prefix, index);
      if (index === 0 || pyIsSpace(line[index - 1])) start = Math.min(start, index);
    }
    prefixes = next;
  }
  const stripped = pyStrip(line);
  if (stripped.startsWith('#') || stripped.startsWith(';')) start = 0;
  return start === Infinity ? null : start;
};

const indentOf = (line: string): number => {
  let i = 0;
  while (i < line.length && pyIsSpace(line[i])) i++;
  return i === line.length ? 0 : i;
};

/** Universal newlines, as Python's text mode reads a file: each line keeps its `\n`. */
export const splitLines = (text: string): string[] => {
  const lines = text.replace(/\r\n?/g, '\n').split(/(?<=\n)/);
  return lines.filter((l) => l !== '');
};

interface Cursor {
  section: Map<string, IniValue> | null;
  sectionName: string | null;
  option: string | null;
  indent: number;
  readonly pending: Map<IniValue, string[]>;
  /** A checking load said once that text came before any [section]; the rest of it is skipped. */
  headerless: boolean;
}

const syntaxError = (at: { file: string; line: number; raw: string }, reason: string): ConfigError =>
  new ConfigError({ file: at.file, line: at.line, value: pyRstrip(at.raw) }, reason);

const openSection = (
  store: IniStore,
  cur: Cursor,
  at: { file: string; line: number; name: string },
): void => {
  const { name } = at;
  if (name === DEFAULT_SECTION) {
    cur.section = store.defaults;
  } else {
    let section = store.sections.get(name);
    if (section === undefined) {
      section = { name, file: at.file, line: at.line, values: new Map() };
      store.sections.set(name, section);
    }
    cur.section = section.values;
  }
  cur.sectionName = name;
  cur.option = null;
};

const setOption = (cur: Cursor, at: { file: string; line: number; text: string; raw: string }): void => {
  const delimiter = at.text.search(/[=:]/);
  if (delimiter === -1) {
    throw syntaxError(at, 'line has no `=` or `:` (key = value expected)');
  }
  const key = pyRstrip(at.text.slice(0, delimiter)).toLowerCase();
  if (key === '') throw syntaxError(at, 'line has an empty key');
  const entry: IniValue = { value: '', file: at.file, line: at.line, inherited: false };
  cur.section?.set(key, entry);
  cur.pending.set(entry, [pyStrip(at.text.slice(delimiter + 1))]);
  cur.option = key;
};

const currentLines = (cur: Cursor): string[] | undefined => {
  if (cur.section === null || cur.option === null) return undefined;
  const entry = cur.section.get(cur.option);
  return entry === undefined ? undefined : cur.pending.get(entry);
};

const readLine = (store: IniStore, cur: Cursor, at: { file: string; line: number; raw: string }): void => {
  const cut = commentStart(at.raw);
  const text = pyStrip(cut === null ? at.raw : at.raw.slice(0, cut));
  if (text === '') {
    // A blank line (not a comment) belongs to the value being read; trailing ones are dropped.
    if (cut === null) currentLines(cur)?.push('');
    return;
  }
  const indent = indentOf(at.raw);
  const continued = currentLines(cur);
  if (continued !== undefined && indent > cur.indent) {
    continued.push(text);
    return;
  }
  cur.indent = indent;
  const header = /^\[([^\n]+)\]/.exec(text);
  if (header?.[1] !== undefined) {
    openSection(store, cur, { file: at.file, line: at.line, name: header[1] });
  } else if (cur.section === null) {
    if (cur.headerless) return;
    cur.headerless = true;
    throw syntaxError(at, 'file contains no section headers (a [section] must come first)');
  } else {
    setOption(cur, { ...at, text });
  }
};

/**
 * Reads one file's text into the store (RawConfigParser.read / read_file). A checking load
 * (`sink` with errors) records a bad line and reads on.
 */
export const readIni = (store: IniStore, text: string, file: string, sink: ErrorSink = {}): void => {
  const cur: Cursor = {
    section: null,
    sectionName: null,
    option: null,
    indent: 0,
    pending: new Map(),
    headerless: false,
  };
  splitLines(text).forEach((raw, index) => {
    recover(
      sink,
      () => {
        readLine(store, cur, { file, line: index + 1, raw });
      },
      () => undefined,
    );
  });
  for (const [entry, lines] of cur.pending) entry.value = pyRstrip(lines.join('\n'));
};

/** RawConfigParser.get: the section's own value, else [DEFAULT]'s. */
export const lookup = (store: IniStore, section: string, key: string): IniValue | undefined =>
  store.sections.get(section)?.values.get(key) ?? store.defaults.get(key);

/** RawConfigParser.options: the section's keys plus every [DEFAULT] key. */
export const optionNames = (store: IniStore, section: string): string[] => {
  const own = store.sections.get(section)?.values.keys() ?? [];
  return [...new Set([...own, ...store.defaults.keys()])];
};

const HERE = '%(here)s';

// UnhosedConfigParser.expand_here: after each file is read, `%(here)s` is replaced textually in
// every section (including values inherited from [DEFAULT], which get copied into the section).
export const expandHere = (store: IniStore, here: string): void => {
  for (const section of store.sections.values()) {
    for (const key of optionNames(store, section.name)) {
      const own = section.values.get(key);
      const entry = own ?? store.defaults.get(key);
      if (entry === undefined || !entry.value.includes(HERE)) continue;
      const value = entry.value.replaceAll(HERE, here);
      if (own === undefined) section.values.set(key, { ...entry, value, inherited: true });
      else own.value = value;
    }
  }
};
