import path from 'node:path';
import { findConfigFile } from '../config/index.js';
import type { LocalContext } from './commands.js';
import { exportTo } from './run-export.js';
import { formatFinding } from './report.js';

// The export command's run(): findings go to stderr, files to stdout or --out.

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const runExportCommand = async (
  args: readonly string[],
  opts: Readonly<Record<string, unknown>>,
  ctx: LocalContext,
): Promise<number> => {
  const out = text(opts.out);
  const {
    result,
    text: printed,
    written,
  } = exportTo(
    {
      target: args[0] ?? '',
      configPath: findConfigFile(ctx.configuration, ctx.env, ctx.cwd),
      image: text(opts.image),
      podPerGroup: opts.podPerGroup === true,
      env: ctx.env,
      cwd: ctx.cwd,
    },
    out === null ? null : path.resolve(ctx.cwd, out),
  );
  for (const f of result.findings) ctx.stderr(`${formatFinding(f)}\n`);
  if (printed !== null) ctx.stdout(printed);
  for (const file of written) ctx.stderr(`wrote ${file}\n`);
  return Promise.resolve(0);
};
