import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TendError } from '../errors/index.js';
import type { LocalContext } from './commands.js';
import { loadEcosystem } from './import/pm2-load.js';
import { importPm2 } from './import/pm2.js';
import { importProcfile } from './import/procfile.js';
import { Findings, formatFinding } from './report.js';

// The import command's run(): the config to stdout, what could not be carried over to stderr.

const FORMATS = ['pm2', 'procfile'];

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TendError(
      'CONFIG_NOT_FOUND',
      `${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
};

/** The config text for `format`; findings collect what could not be carried over. */
export const importConfig = async (
  format: string,
  file: string,
  env: string | null,
  findings: Findings,
): Promise<string> => {
  if (format === 'pm2') return importPm2(await loadEcosystem(file), { file, envName: env, findings });
  if (format === 'procfile') return importProcfile(readText(file), { file, envFile: env, findings });
  throw new TendError('VALIDATION', `unknown import format '${format}'`, {
    hint: `formats: ${FORMATS.join(', ')}`,
  });
};

export const runImportCommand = async (
  args: readonly string[],
  opts: Readonly<Record<string, unknown>>,
  ctx: LocalContext,
): Promise<number> => {
  const [format = '', file = ''] = args;
  const findings = new Findings();
  const env = typeof opts.env === 'string' ? opts.env : null;
  const envArg = format === 'procfile' && env !== null ? path.resolve(ctx.cwd, env) : env;
  const text = await importConfig(format, path.resolve(ctx.cwd, file), envArg, findings);
  for (const f of findings.items) ctx.stderr(`${formatFinding(f)}\n`);
  ctx.stdout(text);
  return 0;
};
