// What an export or import could not carry over, or carried over differently: every finding names
// the program and the key, so a reader can find the line in the config. Warnings are things that
// change behaviour; notes say where something went (logs to the journal, a name that was mapped).

export interface Finding {
  readonly level: 'warning' | 'note';
  /** Program (section name after `program:`), or null for the whole config. */
  readonly program: string | null;
  /** Config key as written in the file (stopsignal, ready…), or null. */
  readonly key: string | null;
  readonly message: string;
}

export class Findings {
  readonly #items: Finding[] = [];
  readonly #seen = new Set<string>();

  warn(program: string | null, key: string | null, message: string): void {
    this.#add({ level: 'warning', program, key, message });
  }

  note(program: string | null, key: string | null, message: string): void {
    this.#add({ level: 'note', program, key, message });
  }

  /** In the order they were found, each once (numprocs would repeat a finding per process). */
  get items(): readonly Finding[] {
    return this.#items;
  }

  #add(f: Finding): void {
    const id = `${f.level}\0${f.program ?? ''}\0${f.key ?? ''}\0${f.message}`;
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    this.#items.push(f);
  }
}

/** `warning: [program:web] stopsignal: …`, one line per finding, for stderr. */
export const formatFinding = (f: Finding): string => {
  const where = f.program === null ? '' : `[program:${f.program}] `;
  const key = f.key === null ? '' : `${f.key}: `;
  return `${f.level}: ${where}${key}${f.message}`;
};
