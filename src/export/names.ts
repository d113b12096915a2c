import type { Findings } from './report.js';

// Names that a target accepts. supervisord allows almost anything but ':' in a program name;
// Kubernetes wants DNS-1035 labels (Services need a leading letter), systemd a restricted set of
// unit-name characters, Nomad and Compose [A-Za-z0-9_.-]. A name is mapped once per target, every
// mapping is reported, and two programs never land on the same name.

export type NameRule = 'dns1035' | 'systemd' | 'word';

const MAX_DNS_LABEL = 63;

const mapDns = (name: string): string => {
  let out = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(out)) out = `p-${out}`.replace(/-+$/, '');
  return out.slice(0, MAX_DNS_LABEL).replace(/-+$/, '');
};

const RULES: Record<NameRule, (name: string) => string> = {
  dns1035: mapDns,
  // systemd unit names: ASCII letters, digits, ':', '-', '_', '.', '\'; '@' is for templates.
  systemd: (name) => name.replace(/[^A-Za-z0-9:_.-]/g, '-') || 'program',
  word: (name) => name.replace(/[^A-Za-z0-9_.-]/g, '-') || 'program',
};

const RULE_TEXT: Record<NameRule, string> = {
  dns1035: 'a DNS-1035 label (lower-case letters, digits and -, starting with a letter, at most 63)',
  systemd: 'a systemd unit name (letters, digits, :_.-)',
  word: 'a name of letters, digits and _.-',
};

/** Maps names for one target; remembers what it gave out so that no two names collide. */
export class NameMap {
  readonly #given = new Map<string, string>();
  readonly #taken = new Set<string>();

  readonly #rule: NameRule;
  readonly #target: string;
  readonly #findings: Findings;

  constructor(rule: NameRule, target: string, findings: Findings) {
    this.#rule = rule;
    this.#target = target;
    this.#findings = findings;
  }

  /** The target's name for `name` (a program or group), reported when it had to change. */
  of(name: string, program: string | null = name): string {
    const known = this.#given.get(name);
    if (known !== undefined) return known;
    const base = RULES[this.#rule](name);
    let mapped = base;
    for (let n = 2; this.#taken.has(mapped); n++) {
      const suffix = `-${n}`;
      mapped = `${base.slice(0, MAX_DNS_LABEL - suffix.length)}${suffix}`;
    }
    this.#given.set(name, mapped);
    this.#taken.add(mapped);
    if (mapped !== name) {
      this.#findings.note(
        program,
        null,
        `'${name}' is not ${RULE_TEXT[this.#rule]}: it is '${mapped}' in ${this.#target}`,
      );
    }
    return mapped;
  }
}
