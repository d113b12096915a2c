import {
  OK,
  usageError,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';
import { ExitStatus, failureLine, perName } from '../results.js';
import { rolloutLine, type RolloutBody } from '../rollouts.js';

// `tend rollout [list]`: the last rolling restart of each program and where it is;
// `tend rollout abort NAME…`: stop one where it is (its extra instance stops, the rest stays).

export const name = 'rollout';
export const aliases: readonly string[] = [];
export const summary = 'rolling restarts: list them with their progress, or abort one';
export const args: readonly ArgumentSpec[] = [
  { name: 'action', description: 'list or abort', choices: ['list', 'abort'], default: 'list' },
  { name: 'names', description: 'programs whose rollout to abort (GROUP, GROUP:PROGRAM)', variadic: true },
];
export const options: readonly OptionSpec[] = [];
export const details = `\`tend rollout\` lists the last rolling restart of each program: \`web: rollout 3 running (1/4):
starting web-surge beside web_1\`, or how it ended. \`tend rollout abort NAME\` stops a running one
where it is: the extra instance stops, instances already replaced keep the new config, the others
the old one; \`web: rollout 3 aborted (1/4): aborted by request\`. No rollout running is
\`NOT_FOUND\` (exit 1). \`tend status\` shows a running rollout too, and
\`GET /api/v1/rollouts\` has every field.`;

const list = async (ctx: CommandContext): Promise<ExitCode> => {
  const { rollouts } = await ctx.client().call<{ rollouts: RolloutBody[] }>('GET', '/api/v1/rollouts');
  if (rollouts.length === 0) ctx.io.out('no rolling restart yet');
  for (const r of rollouts) ctx.io.out(rolloutLine(r));
  return OK;
};

export const run = async (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const [action = 'list', ...names] = input.args;
  if (action === 'list') return list(ctx);
  if (names.length === 0) throw usageError('rollout', 'abort requires a program name');
  const exit = new ExitStatus();
  for (const one of names) {
    try {
      const { rollouts } = await ctx
        .client()
        .call<{ rollouts: RolloutBody[] }>('POST', `/api/v1/rollouts/${encodeURIComponent(one)}/abort`);
      for (const r of rollouts) ctx.io.out(rolloutLine(r));
    } catch (error) {
      if (!perName(error)) throw error;
      failureLine(one, error.code, error.message, ctx.io);
      exit.fail(error.code);
    }
  }
  return exit.value;
};
