import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Argument, Command, Option } from 'commander';
import * as cli from './cli/index.js';
import { readClientSettings } from './config/client.js';
import { findConfigFile } from './config/search.js';
import { toExitCode, toTendError } from './errors/index.js';
import { INIT_SYSTEMS, runInit } from './export/index.js';
import { TEND_VERSION } from './version.js';

// bin/tend: composes the commands. `daemon` and `check` work on a config file locally and load
// the daemon's modules only when run (a client command must start fast); every other command is
// a client of a running daemon, found through -s URL or the config's [supervisorctl] serverurl /
// [unix_http_server] file, as supervisorctl finds supervisord.

interface GlobalOptions {
  readonly configuration?: string;
  readonly serverurl?: string;
  readonly username?: string;
  readonly password?: string;
}

const configFile = (opts: GlobalOptions): string =>
  findConfigFile(opts.configuration, process.env, process.cwd());

const serverTarget = (opts: GlobalOptions): cli.ServerTarget => {
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

type ClientCommand = (client: cli.Client, io: cli.Output) => Promise<number>;

const withClient = async (command: Command, fn: ClientCommand): Promise<void> => {
  const client = new cli.Client(serverTarget(command.optsWithGlobals<GlobalOptions>()));
  try {
    process.exitCode = await fn(client, cli.terminal());
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
  .showHelpAfterError()
  .addHelpText('after', '\nExit codes and every command: docs/cli.md');

/** Declares a client command: `tend NAME ARGS`, run against the daemon. */
const client = (
  name: string,
  summary: string,
  run: (args: string[], opts: Record<string, unknown>) => ClientCommand,
) =>
  program
    .command(name)
    .description(summary)
    .action(async (...params: unknown[]) => {
      const command = params.at(-1) as Command;
      const opts = command.opts<Record<string, unknown>>();
      const args = command.processedArgs.flat().filter((a): a is string => typeof a === 'string');
      await withClient(command, run(args, opts));
    });

program
  .command('daemon')
  .description('run the supervisor in the foreground (stop it with SIGTERM or Ctrl-C)')
  .addOption(
    new Option('--log-format <format>', 'daemon log format').choices(['text', 'json']).default('text'),
  )
  .option('--subreaper', 'reap orphaned descendants like a container init (automatic as PID 1)')
  .action(async (opts: { logFormat: 'text' | 'json'; subreaper?: boolean }, command: Command) => {
    const { runDaemon } = await import('./daemon/index.js');
    process.exitCode = await runDaemon({
      configPath: configFile(command.optsWithGlobals<GlobalOptions>()),
      logFormat: opts.logFormat,
      env: process.env,
      cwd: process.cwd(),
      subreaper: opts.subreaper === true,
    });
  });

program
  .command('check')
  .description('validate a config file and show the processes it defines, without starting them')
  .option('--json', 'print the resolved config as JSON')
  .action(async (opts: { json?: boolean }, command: Command) => {
    const { check } = await import('./daemon/check.js');
    process.exitCode = check(
      configFile(command.optsWithGlobals<GlobalOptions>()),
      opts.json === true,
      process.env,
      process.cwd(),
    );
  });

program
  .command('hash-password')
  .description(
    'print a {scrypt} hash of a password (read from stdin, or asked for on a terminal) for the config',
  )
  .action(async () => {
    const { hashPassword } = await import('./api/scrypt.js');
    process.exitCode = await cli.hashPasswordCommand(hashPassword, cli.terminal());
  });

client(
  'status',
  'show processes (all, NAME, GROUP:*); exit 3 if one is not running, 4 for an unknown name',
  (args, opts) => (c, io) => cli.status(c, args, opts.json === true, io),
)
  .argument('[names...]', 'processes to show')
  .option('--json', 'print JSON instead of the table');

for (const verb of ['start', 'stop', 'restart'] as const) {
  client(
    verb,
    `${verb} processes: NAME, GROUP:*, GROUP or all`,
    (args) => (c, io) => cli.control(c, verb, args, io),
  ).argument('[names...]', `processes to ${verb}`);
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
        // The flags this node runs with come from bin/tend's shebang; the service keeps them.
        tend: [process.execPath, ...process.execArgv, bin],
        env: process.env,
      });
      if (out.written === null) process.stdout.write(out.text);
      for (const note of out.notes) process.stderr.write(`${note}\n`);
    },
  );

client(
  'signal',
  'send a signal (HUP, USR1, 15…) to processes: NAME, GROUP:* or all',
  (args) => (c, io) => cli.signal(c, args, io),
)
  .argument('[signal]', 'signal name or number')
  .argument('[names...]', 'processes to signal');

client(
  'tail',
  'the last bytes of a log (default 1600), or follow it with -f',
  (args, opts) => (c, io) =>
    cli.tail(
      c,
      args[0] ?? '',
      args[1] ?? 'stdout',
      { follow: opts.follow === true, bytes: Number(opts.bytes) },
      io,
    ),
)
  .argument('<name>', 'process')
  .argument('[stream]', 'stdout or stderr', 'stdout')
  .option('-f, --follow', 'keep printing what the process writes (Ctrl-C to stop)')
  .option('--bytes <n>', 'how many bytes (also written -N, as in supervisorctl: tail -200 web)', '1600');

client(
  'logs',
  "the last lines of processes' stdout and stderr; names prefix each line when there are several",
  (args, opts) => (c, io) =>
    cli.logs(
      c,
      args.length === 0 ? ['all'] : args,
      { follow: opts.follow === true, lines: Number(opts.lines) },
      io,
    ),
)
  .argument('[names...]', 'NAME, GROUP, GROUP:* or all (default)')
  .option('-f, --follow', 'keep printing what they write (Ctrl-C to stop)')
  .option('-n, --lines <n>', 'lines of history per stream', '10');

client(
  'maintail',
  "the last bytes of the daemon's log, or follow it with -f",
  (_args, opts) => (c, io) =>
    cli.maintail(c, { follow: opts.follow === true, bytes: Number(opts.bytes) }, io),
)
  .option('-f, --follow', 'keep printing (Ctrl-C to stop)')
  .option('--bytes <n>', 'how many bytes (also written -N)', '1600');

client(
  'fg',
  'attach to a process: see its output, type into its stdin (Ctrl-C to detach)',
  (args) => (c, io) => cli.fg(c, args[0] ?? '', io),
).argument('<name>', 'process');

client(
  'pid',
  "the daemon's pid, or the pids of processes (0: not running, exit 7)",
  (args) => (c, io) => cli.pid(c, args, io),
).argument('[names...]', 'processes, or all');
client(
  'wait',
  'wait until processes are in a state (default RUNNING), at most --timeout',
  (args, opts) => (c, io) =>
    cli.wait(c, args[0] ?? '', { state: String(opts.state), timeout: String(opts.timeout) }, io),
)
  .argument('<name>', 'NAME, GROUP:* or all')
  .option('--state <states>', 'one or more states, comma-separated', 'RUNNING')
  .option('--timeout <duration>', 'e.g. 30s, 500ms, 2m', '30s');
client(
  'reread',
  'read the config file again and show what changed, without applying it',
  () => (c, io) => cli.reread(c, io),
);
client(
  'update',
  'apply the config file: restart what changed, add and remove groups',
  (args) => (c, io) => cli.update(c, args, io),
).argument('[groups...]', 'only these groups (default: all)');
client('avail', 'list every configured process, in use or not', () => (c, io) => cli.avail(c, io));
client(
  'add',
  'activate groups from the config file',
  (args) => (c, io) => cli.group(c, 'add', args, io),
).argument('[groups...]');
client('remove', 'deactivate stopped groups', (args) => (c, io) => cli.group(c, 'remove', args, io)).argument(
  '[groups...]',
);
client('clear', "empty processes' log files", (args) => (c, io) => cli.clear(c, args, io)).argument(
  '[names...]',
  'processes, or all',
);
client(
  'reload',
  'restart the daemon: stop everything, read the config, start again (same pid)',
  () => (c, io) => cli.reload(c, io),
);
client('shutdown', 'stop every program and the daemon', () => (c, io) => cli.shutdown(c, io));
client('version', "the daemon's tend version", () => (c, io) => cli.version(c, io));

// supervisorctl writes byte counts as options: `tail -200 web`, `maintail -500`.
const argv = process.argv.map((arg, i) =>
  /^-\d+$/.test(arg) && process.argv.slice(2, i).some((a) => a === 'tail' || a === 'maintail')
    ? `--bytes=${arg.slice(1)}`
    : arg,
);

try {
  await program.parseAsync(argv);
} catch (error) {
  const e = toTendError(error);
  process.stderr.write(`tend: ${e.message}\n${e.hint === undefined ? '' : `hint: ${e.hint}\n`}`);
  process.exitCode = toExitCode(e.code);
}
