import type { OperationResult, Supervisor } from '../../supervisor/index.js';

// How operation outcomes look in JSON: `{ results: [{name, group, ok, error?}] }` for anything
// that may touch several processes.

export interface ResultBody {
  readonly name: string;
  readonly group: string;
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

export const toBody = (r: OperationResult): ResultBody =>
  r.error === null
    ? { name: r.name, group: r.group, ok: true }
    : { name: r.name, group: r.group, ok: false, error: { code: r.error.code, message: r.error.message } };

export const resultsBody = (list: readonly OperationResult[]): { results: ResultBody[] } => ({
  results: list.map(toBody),
});

/**
 * `all` means every process; a bare name that is a group but not a process means the whole group
 * (friendlier than supervisord, which answers BAD_NAME there); anything else is a namespec.
 */
export const expandName = (sup: Supervisor, name: string): string => {
  if (name === 'all') return 'all';
  if (!name.includes(':') && sup.group(name) !== undefined && sup.group(name)?.processes.has(name) !== true) {
    return `${name}:*`;
  }
  return name;
};

/** One result for one process that succeeded, when an operation answered `true`. */
export const single = (sup: Supervisor, namespec: string): OperationResult[] => {
  const { name, group } = sup.target(namespec).entry.proc.config;
  return [{ name, group, error: null }];
};
