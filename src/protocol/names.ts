// supervisord's process addressing (options.py split_namespec): `name` means group `name`,
// process `name`; `group:name` one process; `group:` or `group:*` the whole group.

export interface Namespec {
  readonly group: string;
  /** null addresses the whole group. */
  readonly process: string | null;
}

export const splitNamespec = (namespec: string): Namespec => {
  const colon = namespec.indexOf(':');
  if (colon < 0) return { group: namespec, process: namespec };
  const process = namespec.slice(colon + 1);
  return { group: namespec.slice(0, colon), process: process === '' || process === '*' ? null : process };
};

export const makeNamespec = (group: string, name: string): string =>
  group === name ? name : `${group}:${name}`;

/** The namespec of anything that has a name and a group (process info, results, configs). */
export const namespecOf = (p: { readonly name: string; readonly group: string }): string =>
  makeNamespec(p.group, p.name);
