import { Client } from '../cli/client.js';
import type { CommandContext, CommandModule, LocalTools } from '../cli/command.js';
import type { Output } from '../cli/output.js';
import { chooseConfig, serverTarget, type GlobalOptions } from './target.js';

/** The context one command runs in; `close` releases the client's connections. */
export const commandContext = (
  globals: GlobalOptions,
  io: Output,
  tools: { readonly local: LocalTools; readonly commands: readonly CommandModule[] },
): { readonly ctx: CommandContext; readonly close: () => void } => {
  const where = { env: process.env, cwd: process.cwd() };
  let client: Client | null = null;
  const ctx: CommandContext = {
    io,
    env: process.env,
    local: tools.local,
    commands: tools.commands,
    client: () => (client ??= new Client(serverTarget(globals, where))),
    config: () => chooseConfig(globals, where),
  };
  return { ctx, close: () => client?.close() };
};
