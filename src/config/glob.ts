// Python's glob.glob (non-recursive) for [include] files: `*`, `?` and `[...]` per path
// component, hidden names only matched by a pattern that starts with `.`, a pattern without
// wildcards returned when the path exists, and unreadable directories skipped silently.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const MAGIC = /[*?[]/;

export const hasMagic = (pattern: string): boolean => MAGIC.test(pattern);

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const bracket = (pattern: string, start: number): { source: string; end: number } | null => {
  let j = start + 1;
  if (pattern[j] === '!') j++;
  if (pattern[j] === ']') j++;
  while (j < pattern.length && pattern[j] !== ']') j++;
  if (j >= pattern.length) return null;
  let body = pattern.slice(start + 1, j);
  const negate = body.startsWith('!');
  if (negate) body = body.slice(1);
  if (body === '') return { source: negate ? '.' : '(?!)', end: j + 1 };
  return { source: `[${negate ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`, end: j + 1 };
};

/** fnmatch.translate for one path component. */
export const fnmatchRegex = (pattern: string): RegExp => {
  let source = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (!source.endsWith('.*')) source += '.*';
      i++;
    } else if (c === '?') {
      source += '.';
      i++;
    } else if (c === '[') {
      const cls = bracket(pattern, i);
      source += cls?.source ?? '\\[';
      i = cls?.end ?? i + 1;
    } else {
      source += escapeRegex(c);
      i++;
    }
  }
  try {
    return new RegExp(`^(?:${source})$`, 'su');
  } catch {
    // A reversed range such as [z-a] matches nothing in Python.
    return /(?!)/;
  }
};

const exists = (p: string): boolean => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

const listDir = (dir: string, dirsOnly: boolean): string[] => {
  try {
    return readdirSync(dir === '' ? '.' : dir).filter((name) => !dirsOnly || isDir(path.join(dir, name)));
  } catch {
    return [];
  }
};

/** os.path.split: trailing slashes of the head are removed unless it is only slashes. */
const splitPath = (p: string): [string, string] => {
  const i = p.lastIndexOf('/') + 1;
  const head = p.slice(0, i);
  return [/^\/+$/.test(head) ? head : head.replace(/\/+$/, ''), p.slice(i)];
};

const matchIn = (dir: string, pattern: string, dirsOnly: boolean): string[] => {
  if (!hasMagic(pattern)) {
    if (pattern === '') return isDir(dir) ? [''] : [];
    return exists(path.join(dir, pattern)) ? [pattern] : [];
  }
  const re = fnmatchRegex(pattern);
  const names = listDir(dir, dirsOnly).filter((n) => pattern.startsWith('.') || !n.startsWith('.'));
  return names.filter((n) => re.test(n));
};

const joinPy = (dir: string, name: string): string => {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
};

/** glob.glob(pattern) in the order the directories list (callers sort). */
export const glob = (pattern: string, dirsOnly = false): string[] => {
  const [dir, base] = splitPath(pattern);
  if (!hasMagic(pattern)) {
    if (base === '') return isDir(dir) ? [pattern] : [];
    return exists(pattern) ? [pattern] : [];
  }
  const dirs = dir !== '' && dir !== pattern && hasMagic(dir) ? glob(dir, true) : [dir];
  return dirs.flatMap((d) => matchIn(d, base, dirsOnly).map((name) => joinPy(d, name)));
};
