import { OK, type ArgumentSpec, type CommandContext, type ExitCode, type OptionSpec } from '../command.js';
import { configError } from '../config-errors.js';

export const name = 'reread';
export const aliases: readonly string[] = [];
export const summary = 'read the config file again and show what changed, without applying it';
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [];
export const details = `Reads the config file again and lists the changes (\`group: available | changed | disappeared\`,
or \`No config updates to processes\`) without applying them. A broken file: \`ERROR: file:line …\`, exit 1.`;

interface GroupDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

export const run = async (ctx: CommandContext): Promise<ExitCode> => {
  try {
    const diff = await ctx.client().call<GroupDiff>('POST', '/api/v1/config/reread');
    const lines: [string, string][] = [
      ...diff.added.map((g): [string, string] => [g, 'available']),
      ...diff.changed.map((g): [string, string] => [g, 'changed']),
      ...diff.removed.map((g): [string, string] => [g, 'disappeared']),
    ];
    lines.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (lines.length === 0) ctx.io.out('No config updates to processes');
    for (const [group, what] of lines) ctx.io.out(`${group}: ${what}`);
    return OK;
  } catch (error) {
    return configError(error, ctx.io);
  }
};
