// A strict reader of Prometheus's text format for tests: families in the order written, each
// sample with its labels in order, so a test can hold the output against the families table.

export interface Sample {
  readonly name: string;
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
}

export interface Family {
  readonly name: string;
  type: string;
  help: string;
  readonly samples: Sample[];
}

const unescape = (text: string): string => text.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));

const parseLabels = (text: string): [string, string][] => {
  const labels: [string, string][] = [];
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    labels.push([match[1] ?? '', unescape(match[2] ?? '')]);
    if (pattern.lastIndex === text.length) return labels;
  }
  if (text !== '') throw new Error(`bad labels: ${text}`);
  return labels;
};

const parseValue = (text: string): number => {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const value = Number(text);
  if (text === '' || (Number.isNaN(value) && text !== 'NaN')) throw new Error(`bad value: ${text}`);
  return value;
};

export const parseSample = (line: string): Sample => {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
  if (match === null) throw new Error(`bad sample line: ${line}`);
  return { name: match[1] ?? '', labels: parseLabels(match[2] ?? ''), value: parseValue(match[3] ?? '') };
};

export const parseExposition = (text: string): Family[] => {
  const families: Family[] = [];
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const last = families.at(-1);
      let current: Family;
      if (last !== undefined && last.name === meta[2]) current = last;
      else {
        if (families.some((f) => f.name === meta[2])) throw new Error(`family ${meta[2]} written twice`);
        current = { name: meta[2] ?? '', type: '', help: '', samples: [] };
        families.push(current);
      }
      if (meta[1] === 'HELP') current.help = unescape(meta[3] ?? '');
      else current.type = meta[3] ?? '';
      continue;
    }
    const sample = parseSample(line);
    const current = families.at(-1);
    if (current?.name !== sample.name) throw new Error(`sample outside its family: ${line}`);
    current.samples.push(sample);
  }
  return families;
};

/** The value of the one sample of `name` whose labels include `labels`; undefined when none. */
export const valueOf = (
  families: readonly Family[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined => {
  const found = families
    .flatMap((f) => f.samples)
    .filter(
      (s) =>
        s.name === name &&
        Object.entries(labels).every(([k, v]) => s.labels.some(([lk, lv]) => lk === k && lv === v)),
    );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
};
