import type { LocalContext } from './commands.js';

export const runImportCommand = async (
  _args: readonly string[],
  _opts: Readonly<Record<string, unknown>>,
  _ctx: LocalContext,
): Promise<number> => Promise.resolve(1);
