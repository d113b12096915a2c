import { stringify } from 'yaml';

// YAML as Kubernetes and Compose users write it: block style, no folded lines (a folded command
// is hard to read and to diff), strings quoted only where YAML needs it.

export const toYaml = (value: unknown): string =>
  stringify(value, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
