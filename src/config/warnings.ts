// Typos: supervisord ignores unknown keys and sections, so tend only warns about them, with the
// closest known name. Values a section inherits from [DEFAULT] are not the section's typos. A
// warning is shown after `[section]` (warningText), so its message does not name the section again.
import { DEFAULT_SECTION, type IniSection, type IniStore } from './ini.js';
import { ALL_KEYS, SECTION_KINDS, sectionKindOf } from './sections.js';
import { suggest } from './suggest.js';
import type { ConfigWarning } from './types.js';

const didYouMean = (candidate: string | null, quote: (s: string) => string): string =>
  candidate === null ? '' : `; did you mean ${quote(candidate)}?`;

const sectionSuggestion = (name: string): string | null => {
  const colon = name.indexOf(':');
  const head = colon === -1 ? name : name.slice(0, colon + 1);
  const guess = suggest(
    head,
    SECTION_KINDS.map((k) => k.name),
  );
  if (guess === null) return null;
  return colon === -1 || !guess.endsWith(':') ? guess : guess + name.slice(colon + 1);
};

const sectionWarnings = (section: IniSection): ConfigWarning[] => {
  const kind = sectionKindOf(section.name);
  const at = { file: section.file, line: section.line, section: section.name };
  if (kind === undefined) {
    const hint = didYouMean(sectionSuggestion(section.name), (s) => `[${s}]`);
    return [{ ...at, key: null, message: `unknown section${hint}` }];
  }
  if (kind.anyKeys) return [];
  const known = Object.keys(kind.keys);
  return [...section.values]
    .filter(([key, value]) => !value.inherited && !known.includes(key))
    .map(([key, value]) => ({
      file: value.file,
      line: value.line,
      section: section.name,
      key,
      message: `unknown key '${key}'${didYouMean(suggest(key, known), (s) => `'${s}'`)}`,
    }));
};

const defaultWarnings = (store: IniStore): ConfigWarning[] =>
  [...store.defaults]
    .filter(([key]) => !ALL_KEYS.has(key))
    .map(([key, value]) => ({
      file: value.file,
      line: value.line,
      section: DEFAULT_SECTION,
      key,
      message: `unknown key '${key}'${didYouMean(suggest(key, ALL_KEYS), (s) => `'${s}'`)}`,
    }));

/** Unknown sections and keys, in file order of the sections. */
export const unknownNameWarnings = (store: IniStore): ConfigWarning[] => [
  ...defaultWarnings(store),
  ...[...store.sections.values()].flatMap(sectionWarnings),
];

/**
 * `file:line: [section] message`, as the daemon logs a warning and `tend check` prints it.
 * supervisord's own texts start `For [section], `; that is dropped here, the prefix says it.
 */
export const warningText = (w: ConfigWarning): string => {
  const own = `For [${w.section}], `;
  const message = w.message.startsWith(own) ? w.message.slice(own.length) : w.message;
  return `${w.file}:${w.line}: [${w.section}] ${message}`;
};
