// numprocs expands one section into processes that differ only where %(process_num)d was written.
// Targets with an instance variable (systemd's %i, Nomad's ${NOMAD_ALLOC_INDEX}) need that template
// back: it is found by replacing the first process's number in its text, trying the fewest
// replacements first, and keeping the first template that reproduces every process.

/** Most occurrences of the number tried in one value (2^12 candidate templates). */
const MAX_OCCURRENCES = 12;
/** Stands for the number while templates are tried: config text never holds a NUL. */
const SENTINEL = '\u0000';

const occurrences = (text: string, needle: string): number[] => {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) found.push(i);
  return found;
};

const bitCount = (n: number): number => {
  let count = 0;
  for (let m = n; m > 0; m >>= 1) count += m & 1;
  return count;
};

/** Non-overlapping choices of occurrences, as bit masks, fewest first. */
const choices = (positions: readonly number[], width: number): number[] => {
  const masks: number[] = [];
  for (let mask = 0; mask < 1 << positions.length; mask++) {
    const chosen = positions.filter((_, i) => (mask >> i) & 1);
    if (chosen.every((p, i) => i === 0 || p - (chosen[i - 1] ?? 0) >= width)) masks.push(mask);
  }
  return masks.sort((a, b) => bitCount(a) - bitCount(b) || a - b);
};

const substitute = (text: string, positions: readonly number[], width: number, marker: string): string => {
  let out = '';
  let from = 0;
  for (const p of positions) {
    out += text.slice(from, p) + marker;
    from = p + width;
  }
  return out + text.slice(from);
};

/**
 * The template (with `marker` where the process number goes) that gives `values[i]` for `nums[i]`,
 * or null when no replacement of the number explains them all (e.g. %(process_num)02d).
 */
export const deriveTemplate = (
  values: readonly string[],
  nums: readonly number[],
  marker: string,
): string | null => {
  const first = values[0];
  const num = nums[0];
  if (first === undefined || num === undefined) return null;
  if (values.every((v) => v === first)) return first;
  const needle = String(num);
  const positions = occurrences(first, needle);
  if (positions.length === 0 || positions.length > MAX_OCCURRENCES) return null;
  for (const mask of choices(positions, needle.length)) {
    const chosen = positions.filter((_, i) => (mask >> i) & 1);
    const template = substitute(first, chosen, needle.length, SENTINEL);
    if (values.every((v, i) => template.replaceAll(SENTINEL, String(nums[i])) === v)) {
      return template.replaceAll(SENTINEL, marker);
    }
  }
  return null;
};

/** Line by line, so long texts stay cheap; null when any line has no template. */
export const deriveTextTemplate = (
  texts: readonly string[],
  nums: readonly number[],
  marker: string,
): string | null => {
  const split = texts.map((t) => t.split('\n'));
  const lines = split[0]?.length ?? 0;
  if (split.some((s) => s.length !== lines)) return null;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const line = deriveTemplate(
      split.map((s) => s[i] ?? ''),
      nums,
      marker,
    );
    if (line === null) return null;
    out.push(line);
  }
  return out.join('\n');
};
