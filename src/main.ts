import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Argument, Command, Option } from 'commander';
import { Client, control, status, terminal, type ServerTarget } from './cli/index.js';
import { findConfigFile, readClientSettings } from './config/index.js';
import { check } from './daemon/check.js';
import { runDaemon, type LogFormat } from './daemon/index.js';
import { toExitCode, toTendError } from './errors/index.js';
import { INIT_SYSTEMS, runInit } from './export/index.js';
import { TEND_VERSION } from './version.js';

// bin/tend: composes the commands. `daemon` and `check` work on a config file locally; every
// other command is a client of a running daemon, found through -s URL or the config's
// [supervisorctl] serverurl / [unix_http_server] file, as supervisorctl finds supervisord.

interface GlobalOptions {
  readonly configuration?: string;
  readonly serverurl?: string;
  readonly username?: string;
  readonly password?: string;
}

const configFile = (opts: GlobalOptions): string =>
  findConfigFile(opts.configuration, process.env, process.cwd());

const serverTarget = (opts: GlobalOptions): ServerTarget => {
  if (opts.serverurl !== undefined) {
    return { url: opts.serverurl, username: opts.username ?? null, password: opts.password ?? null };
  }
  const settings = readClientSettings(configFile(opts), { env: process.env, cwd: process.cwd() });
  const url =
    settings.serverurl ??
    (settings.unixSocket !== null
      ? `unix://${settings.unixSocket}`
      : settings.inet !== null
        ? `http://${settings.inet.host || 'localhost'}:${settings.inet.port}`
        : 'http://localhost:9001');
  return { url, username: opts.username ?? settings.username, password: opts.password ?? settings.password };
};

const withClient = async (command: Command, fn: (client: Client) => Promise<number>): Promise<void> => {
  const client = new Client(serverTarget(command.optsWithGlobals<GlobalOptions>()));
  try {
    process.exitCode = await fn(client);
  } finally {
    client.close();
  }
};

const program = new Command('tend')
  .description('tend keeps your programs running: a supervisord-compatible process supervisor')
  .version(TEND_VERSION, '-v, --version')
  .option(
    '-c, --configuration <file>',
    'config file (default: $TEND_CONFIG, ./tend.conf, … /etc/supervisor/supervisord.conf)',
  )
  .option('-s, --serverurl <url>', 'daemon URL: unix:///path/to.sock or http://host:port')
  .option('-u, --username <name>', 'username for the daemon')
  .option('-p, --password <password>', 'password for the daemon')
  .showHelpAfterError();

program
  .command('daemon')
  .description('run the supervisor in the foreground (stop it with SIGTERM or Ctrl-C)')
  .addOption(
    new Option('--log-format <format>', 'daemon log format').choices(['text', 'json']).default('text'),
  )
  .action(async (opts: { logFormat: LogFormat }, command: Command) => {
    const file = configFile(command.optsWithGlobals<GlobalOptions>());
    process.exitCode = await runDaemon({
      configPath: file,
      logFormat: opts.logFormat,
      env: process.env,
      cwd: process.cwd(),
    });
  });

program
  .command('check')
  .description('validate a config file and show the processes it defines, without starting them')
  .option('--json', 'print the resolved config as JSON')
  .action((opts: { json?: boolean }, command: Command) => {
    process.exitCode = check(
      configFile(command.optsWithGlobals<GlobalOptions>()),
      opts.json === true,
      process.env,
      process.cwd(),
    );
  });

program
  .command('status')
  .description('show the state of processes (all, NAME, GROUP:* or GROUP); exit 3 if any is not running')
  .argument('[names...]', 'processes to show')
  .option('--json', 'print JSON instead of the table')
  .action(async (names: string[], opts: { json?: boolean }, command: Command) => {
    await withClient(command, (client) => status(client, names, opts.json === true, terminal()));
  });

for (const verb of ['start', 'stop', 'restart'] as const) {
  program
    .command(verb)
    .description(`${verb} processes: NAME, GROUP:*, GROUP or all`)
    .argument('<names...>', `processes to ${verb}`)
    .action(async (names: string[], _opts: unknown, command: Command) => {
      await withClient(command, (client) => control(client, verb, names, terminal()));
    });
}

program
  .command('init')
  .description('print (or --install) the service file that runs tend under systemd, launchd or OpenRC')
  .addArgument(new Argument('<system>', 'init system').choices(INIT_SYSTEMS))
  .option('--user', 'a per-user service instead of a system one')
  .option('--config <file>', 'config file the service runs (default: the one tend finds now)')
  .option('--install', 'write the file where the init system looks, instead of printing it')
  .action(
    (
      system: (typeof INIT_SYSTEMS)[number],
      opts: { user?: boolean; config?: string; install?: boolean },
      command: Command,
    ) => {
      const config = path.resolve(opts.config ?? configFile(command.optsWithGlobals<GlobalOptions>()));
      const bin = fileURLToPath(new URL('../../bin/tend', import.meta.url));
      const out = runInit({
        system,
        user: opts.user === true,
        install: opts.install === true,
        config,
        tend: [process.execPath, bin],
        env: process.env,
      });
      if (out.written === null) process.stdout.write(out.text);
      for (const note of out.notes) process.stderr.write(`${note}\n`);
    },
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const e = toTendError(error);
  process.stderr.write(`tend: ${e.message}\n${e.hint === undefined ? '' : `hint: ${e.hint}\n`}`);
  process.exitCode = toExitCode(e.code);
}
