import {
  flag,
  text,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';

export const name = 'export';
export const aliases: readonly string[] = [];
export const summary =
  'print (or write to --out) the config as systemd units, Kubernetes objects, a Nomad job or a Compose file';
export const args: readonly ArgumentSpec[] = [
  {
    name: 'target',
    description: 'what to make',
    required: true,
    choices: ['systemd', 'kubernetes', 'nomad', 'compose'],
  },
];
export const options: readonly OptionSpec[] = [
  { flags: '--out <dir>', description: 'write one file per unit/object into DIR instead of printing' },
  { flags: '--image <image>', description: 'container image (kubernetes, compose; nomad uses docker with it)' },
  { flags: '--pod-per-group', description: 'one Pod / Nomad task group per [group:x] instead of one per program' },
];
export const details = `Turns the config (\`-c\`, or the one tend finds) into another system's files: systemd units,
Kubernetes objects, a Nomad job or a Compose file ([export.md](export.md) has the mapping of every
key). Every key that cannot be carried over exactly is reported on stderr as
\`warning:|note: [program:X] key: …\`; nothing is dropped silently. Without \`--out\` the files are
printed; with it, everything is generated first and each file is written whole (a failure writes
nothing). A config that fails \`tend check\` or an unknown target: exit 2.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> =>
  ctx.local.convert('export', {
    args: input.args,
    options: {
      out: text(input, 'out') || undefined,
      image: text(input, 'image') || undefined,
      podPerGroup: flag(input, 'podPerGroup'),
    },
    config: ctx.config().file,
  });
