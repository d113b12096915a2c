// [include] files= (options.py read_config): read once from the main file, so included files
// cannot include more; each pattern is joined to the main file's directory, globbed, and its
// matches read in sorted order, `%(here)s` becoming each file's own directory.
import path from 'node:path';
import { ConfigError } from './errors.js';
import { readIncludedFile } from './files.js';
import { glob } from './glob.js';
import { expandHere, lookup } from './ini.js';
import { pyCompare, pySplitWhitespace } from './pystr.js';
import { expandAt, sectionRef, type Reader } from './reader.js';
import { orSkip } from './sink.js';
import { fileExpansions, warn, type LoadState } from './state.js';

const patternsOf = (state: LoadState, r: Reader): string[] => {
  const located = lookup(state.store, 'include', 'files');
  if (located === undefined) {
    throw new ConfigError(
      { ...r.at, section: 'include' },
      '.ini file has [include] section, but no files setting',
    );
  }
  return pySplitWhitespace(expandAt(r, { key: 'files', located, label: 'include.files' }, located.value));
};

/** Reads the included files into the store; returns them in the order they were read. */
export const readIncludes = (state: LoadState): string[] => {
  if (!state.store.sections.has('include')) return [];
  expandHere(state.store, state.here);
  const names = fileExpansions(state);
  const r: Reader = {
    store: state.store,
    section: 'include',
    at: sectionRef(state.store, 'include'),
    names,
    paths: state.paths,
    errors: state.errors,
  };
  const base = path.dirname(state.file);
  const read: string[] = [];
  for (const written of orSkip(
    state,
    () => patternsOf(state, r),
    () => [],
  )) {
    const pattern = written.startsWith('/') ? written : `${base}/${written}`;
    const matches = glob(pattern).sort(pyCompare);
    if (matches.length === 0) {
      const at = lookup(state.store, 'include', 'files') ?? r.at;
      warn(state, {
        file: at.file,
        line: at.line,
        section: 'include',
        key: 'files',
        message: `No file matches via include "${pattern}"`,
      });
    }
    for (const file of matches) {
      if (readIncludedFile(state.store, file, state)) read.push(path.resolve(file));
      expandHere(state.store, path.dirname(path.resolve(file)));
    }
  }
  return read;
};
