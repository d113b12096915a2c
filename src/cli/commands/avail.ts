import { namespecOf } from '../../protocol/names.js';
import { OK, type ArgumentSpec, type CommandContext, type ExitCode, type OptionSpec } from '../command.js';

export const name = 'avail';
export const aliases: readonly string[] = [];
export const summary = 'list every configured process, in use or not';
export const args: readonly ArgumentSpec[] = [];
export const options: readonly OptionSpec[] = [];
export const details = `Every configured process: \`name  in use|avail  auto|manual  group_priority:priority\`.`;

interface ConfigInfo {
  readonly name: string;
  readonly group: string;
  readonly inuse: boolean;
  readonly autostart: boolean;
  readonly group_prio: number;
  readonly process_prio: number;
}

export const run = async (ctx: CommandContext): Promise<ExitCode> => {
  for (const c of await ctx.client().call<ConfigInfo[]>('GET', '/api/v1/config')) {
    const fields = [
      namespecOf(c).padEnd(32),
      (c.inuse ? 'in use' : 'avail').padEnd(9),
      (c.autostart ? 'auto' : 'manual').padEnd(9),
    ];
    ctx.io.out(`${fields.join(' ')} ${c.group_prio}:${c.process_prio}`);
  }
  return OK;
};
