import { loadConfig } from '../config/index.js';
import { TendError } from '../errors/index.js';
import type { ExportFile, ExportOptions, Generator } from './files.js';
import { TARGETS, type Target } from './mapping.js';
import { exportPrograms } from './programs.js';
import { Findings, type Finding } from './report.js';
import { compose } from './targets/compose.js';
import { kubernetes } from './targets/kubernetes.js';
import { nomad } from './targets/nomad.js';
import { systemd } from './targets/systemd.js';
import { writeFiles } from './write.js';

// `tend export TARGET`: load the config as `tend check` does (a config that fails there fails
// here, exit 2), map it, then print the files or write them to --out.

const GENERATORS: Record<Target, Generator> = { systemd, kubernetes, nomad, compose };

export interface ExportRequest extends ExportOptions {
  readonly target: string;
  readonly configPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface ExportResult {
  readonly files: readonly ExportFile[];
  readonly findings: readonly Finding[];
}

const isTarget = (t: string): t is Target => (TARGETS as readonly string[]).includes(t);

export const generate = (r: ExportRequest): ExportResult => {
  if (!isTarget(r.target)) {
    throw new TendError('VALIDATION', `unknown export target '${r.target}'`, {
      hint: `targets: ${TARGETS.join(', ')}`,
    });
  }
  const config = loadConfig(r.configPath, { env: r.env, cwd: r.cwd });
  const findings = new Findings();
  const files = GENERATORS[r.target]({ config, programs: exportPrograms(config), options: r, findings });
  return { files, findings: findings.items };
};

/** All files as one text for stdout: YAML documents, or files under a comment naming them. */
export const joinFiles = (target: Target, files: readonly ExportFile[]): string => {
  if (target === 'kubernetes') return files.map((f) => f.text).join('---\n');
  if (files.length === 1) return files[0]?.text ?? '';
  return files.map((f) => `# ---- ${f.name} ----\n${f.text}`).join('\n');
};

export const exportTo = (
  r: ExportRequest,
  out: string | null,
): { result: ExportResult; text: string | null; written: string[] } => {
  const result = generate(r);
  if (out !== null) return { result, text: null, written: writeFiles(out, result.files) };
  return { result, text: joinFiles(r.target as Target, result.files), written: [] };
};
