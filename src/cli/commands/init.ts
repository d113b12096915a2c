import path from 'node:path';
import {
  flag,
  OK,
  text,
  type ArgumentSpec,
  type CommandContext,
  type CommandInput,
  type ExitCode,
  type OptionSpec,
} from '../command.js';

export const name = 'init';
export const aliases: readonly string[] = ['startup'];
export const summary =
  'print (or --install) the service file that runs tend under systemd, launchd or OpenRC';
export const args: readonly ArgumentSpec[] = [
  { name: 'system', description: 'init system', required: true, choices: ['systemd', 'launchd', 'openrc'] },
];
export const options: readonly OptionSpec[] = [
  { flags: '--user', description: 'a per-user service instead of a system one' },
  { flags: '--config <file>', description: 'config file the service runs (default: the one tend finds now)' },
  { flags: '--install', description: 'write the file where the init system looks, instead of printing it' },
];
export const details = `Prints the service file that runs tend itself under an init system: a systemd unit
(\`Type=notify\`, \`WatchdogSec\`, \`Restart=on-failure\`, \`ExecReload\` sending SIGHUP,
\`KillMode=mixed\`), a launchd plist or an OpenRC script, for \`--config FILE\` (or \`-c\`, or the config
tend finds now: then stderr says which one and how it was found, so a guessed file is never
embedded silently). \`--user\` makes a per-user service; \`--install\` writes the file where the init
system looks instead of printing it. See [readiness.md](readiness.md) for what tend tells systemd.`;

export const run = (ctx: CommandContext, input: CommandInput): Promise<ExitCode> => {
  const given = text(input, 'config');
  const choice = given === '' ? ctx.config() : null;
  const config = path.resolve(given === '' ? (choice?.file ?? '') : given);
  if (choice?.searched === true) {
    ctx.io.err(`note: the service runs ${config}, ${choice.how}; pass --config FILE to choose another`);
  }
  const out = ctx.local.init({
    system: input.args[0] ?? '',
    user: flag(input, 'user'),
    install: flag(input, 'install'),
    config,
  });
  if (out.written === null) ctx.io.write(out.text);
  for (const line of out.notes) ctx.io.err(line);
  return Promise.resolve(OK);
};
